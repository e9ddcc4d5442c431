import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { access, chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_BROTLI_MODULE, exportSite, type ExportResult } from '../../src/export/export-site.ts';
import { httpClient } from '../../src/export/source.ts';
import { freePort } from '../helpers/net.ts';
import { ensureNginx, startNginx } from '../helpers/nginx.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startReplica(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WATCH: '0',
      LOG_LEVEL: 'warn',
      RENDER_CACHE_DIR: '',
      SITE_URL: 'https://www.example.org',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await until('the replica to be ready', async () => ((await fetch(`${url}/ready`)).status === 200 ? true : undefined));
  return { url, child };
}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers: { 'accept-encoding': 'identity', ...headers }, redirect: 'manual' });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
};

describe('nginx serving an export in front of two replicas', () => {
  let a: { url: string; child: ChildProcess };
  let b: { url: string; child: ChildProcess };
  let out: string;
  let nginx: ChildProcess;
  let front: string;
  let result: ExportResult;

  beforeAll(async () => {
    ensureNginx();
    [a, b] = await Promise.all([startReplica(), startReplica()]);
    out = path.join(await mkdtemp(path.join(tmpdir(), 'export-nginx-')), 'site');
    // Started by root, nginx's workers run as nobody, who must be able to enter the (0700) temporary
    // folder: else every file is "permission denied" and silently answered by the replicas instead.
    await chmod(path.dirname(out), 0o755);
    const port = await freePort();
    front = `http://127.0.0.1:${port}`;
    const brotli = await access(DEBIAN_BROTLI_MODULE).then(
      () => DEBIAN_BROTLI_MODULE,
      () => null,
    );
    result = await exportSite(httpClient(a.url), { out, listen: `127.0.0.1:${port}`, upstreams: [a.url, b.url], brotliModule: brotli });
    nginx = await startNginx(out, `${front}/v1/site`);
  }, 120_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    a?.child.kill('SIGTERM');
    b?.child.kill('SIGTERM');
    if (out) await rm(path.dirname(out), { recursive: true, force: true });
  });

  it("answers every exported URL with the replica's status, type, ETag and bytes", async () => {
    for (const file of result.files) {
      const accept =
        file.variant === 'html' ? 'text/html' : file.variant === 'json' || file.kind === 'resolve' ? 'application/json' : '*/*';
      const [service, proxy] = [await get(a.url + file.url, { accept }), await get(front + file.url, { accept })];
      expect({ url: file.url, status: proxy.status, same: proxy.body.equals(service.body) }).toEqual({
        url: file.url,
        status: service.status,
        same: true,
      });
      expect(proxy.headers.get('content-type')).toBe(service.headers.get('content-type'));
      expect(proxy.headers.get('etag')).toBe(service.headers.get('etag'));
      for (const name of ['cache-control', 'access-control-allow-origin', 'x-content-type-options', 'content-security-policy', 'vary']) {
        expect(`${name}: ${proxy.headers.get(name)}`).toBe(`${name}: ${service.headers.get(name)}`);
      }
    }
  }, 120_000);

  it('negotiates on Accept and ?format= as the service does, and sends gzip and brotli files that decode to the same bytes', async () => {
    const page = `${front}/v1/pages/index`;
    const json = await get(page, { accept: 'application/json' });
    expect(
      (await get(page, { accept: 'text/html' })).body.equals((await get(`${a.url}/v1/pages/index`, { accept: 'text/html' })).body),
    ).toBe(true);
    expect((await get(`${page}?format=html`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await get(page, { accept: 'image/png' })).status).toBe(406);
    const gzip = await fetch(page, { headers: { accept: 'application/json', 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await gzip.arrayBuffer()).equals(json.body)).toBe(true);
    if ((await readFile(path.join(out, 'nginx.conf'), 'utf8')).includes('brotli_static on')) {
      const br = await fetch(page, { headers: { accept: 'application/json', 'accept-encoding': 'br' } });
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(Buffer.from(await br.arrayBuffer()).equals(json.body)).toBe(true);
    }
  });

  it('answers 304 to a validator from either replica, and 404 problem+json for an unknown page', async () => {
    const etag = (await get(`${b.url}/v1/pages/index`)).headers.get('etag')!;
    expect((await get(`${front}/v1/pages/index`, { 'if-none-match': etag })).status).toBe(304);
    const missing = await get(`${front}/v1/pages/no-such-page`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('serves the exported files itself: with both replicas paused, pages, HTML and 304s still answer', async () => {
    const etag = (await get(`${a.url}/v1/pages/index`)).headers.get('etag')!;
    a.child.kill('SIGSTOP');
    b.child.kill('SIGSTOP');
    try {
      for (const [headers, status] of [
        [{ accept: 'application/json' }, 200],
        [{ accept: 'text/html' }, 200],
        [{ 'if-none-match': etag }, 304],
      ] as const) {
        const response = await fetch(`${front}/v1/pages/index`, { headers, signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        expect(response.status).toBe(status);
      }
    } finally {
      a.child.kill('SIGCONT');
      b.child.kill('SIGCONT');
    }
  });

  it('proxies search and filtered lists to the replicas', async () => {
    for (const url of ['/v1/search?q=review', '/v1/pages?limit=2', '/v1/faq?q=review']) {
      const [service, proxy] = [await get(a.url + url), await get(front + url)];
      expect({ url, status: proxy.status, same: proxy.body.equals(service.body) }).toEqual({ url, status: 200, same: true });
    }
  });

  it("replicas agree: same content version, bodies and ETags, and one's validator gives 304 on the other", async () => {
    const version = async (url: string) => ((await (await fetch(`${url}/health`)).json()) as { version: string }).version;
    expect(await version(a.url)).toBe(await version(b.url));
    for (const file of result.files.filter((each) => each.kind === 'negotiated').slice(0, 50)) {
      const [x, y] = [await get(a.url + file.url), await get(b.url + file.url)];
      expect(x.body.equals(y.body)).toBe(true);
      expect(x.headers.get('etag')).toBe(y.headers.get('etag'));
      expect((await get(b.url + file.url, { 'if-none-match': x.headers.get('etag')! })).status).toBe(304);
    }
  });

  it('loses no request while one replica stops (SIGTERM) under load', async () => {
    const failures: string[] = [];
    let served = 0;
    let stopped = false;
    let afterStop = 0;
    const worker = async () => {
      while (!stopped || afterStop < 200) {
        const response = await fetch(`${front}/v1/search?q=review`).catch((error: Error) => ({
          status: 0,
          statusText: error.message,
          arrayBuffer: async () => new ArrayBuffer(0),
        }));
        await response.arrayBuffer();
        if (response.status === 200) served++;
        else failures.push(`${response.status} ${response.statusText}`);
        if (stopped) afterStop++;
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, worker));
    await until('some requests served', async () => (served > 200 ? true : undefined));
    a.child.kill('SIGTERM');
    await once(a.child, 'exit');
    stopped = true;
    await load;
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(400);
  }, 60_000);
});
