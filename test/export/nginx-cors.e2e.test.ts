import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { exportSite } from '../../src/export/export-site.ts';
import { injectClient } from '../../src/export/source.ts';
import { bundledContent } from '../helpers/app.ts';
import { freePort } from '../helpers/net.ts';
import { ensureNginx, startNginx } from '../helpers/nginx.ts';

const ORIGINS = ['https://www.example.org', 'http://localhost:5173'];

describe('nginx serving an export when CORS_ORIGINS is a list', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let work: string;
  let nginx: ChildProcess;
  let front: string;

  beforeAll(async () => {
    ensureNginx();
    app = await buildApp({ contentDir: bundledContent, corsOrigins: ORIGINS, loadInBackground: false, precompressMaxBytes: 0 });
    work = await mkdtemp(path.join(tmpdir(), 'export-cors-nginx-'));
    // Started by root, nginx's workers run as nobody, who must be able to enter the (0700) temporary folder.
    await chmod(work, 0o755);
    const out = path.join(work, 'site');
    const port = await freePort();
    front = `http://127.0.0.1:${port}`;
    await exportSite(injectClient(app), { out, listen: `127.0.0.1:${port}`, upstreams: [], brotliModule: null, corsOrigins: ORIGINS });
    nginx = await startNginx(out, `${front}/v1/site`);
  }, 120_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** The CORS headers nginx and the service send for the same request. */
  async function both(url: string, headers: Record<string, string>) {
    const service = await app.inject({ url, headers });
    const proxy = await fetch(front + url, { headers });
    await proxy.arrayBuffer();
    const cors = (get: (name: string) => string | undefined) => ({
      allow: get('access-control-allow-origin') ?? null,
      vary: get('vary') ?? null,
    });
    return {
      status: [proxy.status, service.statusCode],
      nginx: cors((name) => proxy.headers.get(name) ?? undefined),
      service: cors((name) => service.headers[name] as string | undefined),
    };
  }

  it('echoes a listed Origin, as the service does, on pages, 304s and exact files', async () => {
    const etag = (await app.inject({ url: '/v1/pages/index' })).headers.etag as string;
    for (const [url, extra] of [
      ['/v1/pages/index', {}],
      ['/v1/pages/index', { 'if-none-match': etag }],
      ['/v1/pages/index?format=html', {}],
      ['/robots.txt', {}],
    ] as const) {
      for (const origin of ORIGINS) {
        const answer = await both(url, { origin, ...extra });
        expect(answer.nginx).toEqual(answer.service);
        expect(answer.nginx.allow).toBe(origin);
        expect(answer.nginx.vary).toMatch(/(^|, )Origin(,|$)/);
      }
    }
    expect((await both('/v1/pages/index', { origin: ORIGINS[0], 'if-none-match': etag })).status).toEqual([304, 304]);
  });

  it('sends no Access-Control-Allow-Origin for an origin not in the list (nor one that differs in case), still with Vary: Origin', async () => {
    for (const origin of ['https://evil.example', 'HTTPS://WWW.EXAMPLE.ORG', 'https://www.example.org.evil.example', 'null']) {
      const answer = await both('/v1/pages/index', { origin });
      expect(answer.nginx).toEqual(answer.service);
      expect(answer.nginx.allow).toBeNull();
      expect(answer.nginx.vary).toMatch(/(^|, )Origin(,|$)/);
    }
  });
});
