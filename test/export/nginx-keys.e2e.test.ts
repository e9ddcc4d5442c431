import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { exportSite, type ExportResult } from '../../src/export/export-site.ts';
import { injectClient } from '../../src/export/source.ts';
import { bundledContent, fixture } from '../helpers/app.ts';
import { freePort } from '../helpers/net.ts';
import { checkNginxConf, ensureNginx, startNginx } from '../helpers/nginx.ts';

type ExportedFile = ExportResult['files'][number];

/** An export served by nginx with no replica behind it (what is not exported is 404), beside the app it was exported from. */
interface Served {
  app: Awaited<ReturnType<typeof buildApp>>;
  result: ExportResult;
  out: string;
  front: string;
  nginx?: ChildProcess;
}

async function exportOf(contentDir: string): Promise<Served> {
  ensureNginx();
  const app = await buildApp({ contentDir, siteUrl: 'https://www.example.org', loadInBackground: false, precompressMaxBytes: 0 });
  const work = await mkdtemp(path.join(tmpdir(), 'export-keys-'));
  // Started by root, nginx's workers run as nobody, who must be able to enter the (0700) temporary folder.
  await chmod(work, 0o755);
  const out = path.join(work, 'site');
  const port = await freePort();
  const result = await exportSite(injectClient(app), { out, listen: `127.0.0.1:${port}`, upstreams: [], brotliModule: null });
  return { app, result, out, front: `http://127.0.0.1:${port}` };
}

async function stop(served: Served | undefined): Promise<void> {
  served?.nginx?.kill('SIGTERM');
  await served?.app.close();
  if (served) await rm(path.dirname(served.out), { recursive: true, force: true });
}

/** The Accept a client sends for the representation a file holds. */
const acceptOf = (file: ExportedFile) =>
  file.variant === 'html' ? 'text/html' : file.variant === 'json' || file.kind === 'resolve' ? 'application/json' : '*/*';

/** What nginx and the service answer to one request: status, ETag, and the body when it is not an error. */
async function bothAnswer(served: Served, url: string, headers: Record<string, string>) {
  const request = { 'accept-encoding': 'identity', ...headers };
  const proxy = await fetch(served.front + url, { headers: request, redirect: 'manual' });
  const proxyBody = Buffer.from(await proxy.arrayBuffer()).toString();
  const service = await served.app.inject({ url, headers: request });
  const answer = (status: number, etag: string | null | undefined, body: string) => ({
    url,
    status,
    etag: status < 400 ? (etag ?? null) : null,
    body: status === 200 ? body : '',
  });
  return {
    nginx: answer(proxy.status, proxy.headers.get('etag'), proxyBody),
    service: answer(service.statusCode, service.headers.etag, service.body),
  };
}

/** `/v1/resolve?path=/Peer-Review/` → `/v1/resolve?path=/pEER-rEVIEW/`, `/v1/pages/index` → `/v1/pages/INDEX`. */
function otherCase(file: ExportedFile): string {
  const swap = (text: string) =>
    text.replace(/[a-z]/gi, (letter) => (letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase()));
  if (file.kind === 'resolve') return `/v1/resolve?${new URLSearchParams({ path: swap(file.spellings![0]) })}`;
  const [pathname, query] = file.url.split('?');
  return `/v1/${swap(pathname.slice('/v1/'.length))}${query === undefined ? '' : `?${query}`}`;
}

/** Each negotiated and resolve file asked for in the other case, plain and with the file's own ETag: nginx answers as the service does. */
async function expectOtherCaseAnsweredAsService(served: Served): Promise<void> {
  for (const file of served.result.files.filter((each) => each.kind !== 'exact')) {
    const requests: Record<string, string>[] = [{ accept: acceptOf(file) }, { accept: acceptOf(file), 'if-none-match': file.etag! }];
    for (const headers of requests) {
      const { nginx, service } = await bothAnswer(served, otherCase(file), headers);
      expect(nginx).toEqual(service);
    }
  }
}

describe('nginx serving an export of pages whose paths differ only in case, and of a redirect_from with a query beside a page', () => {
  let served: Served;

  beforeAll(async () => {
    served = await exportOf(fixture('export-keys'));
  }, 120_000);
  afterAll(() => stop(served));

  it('writes an nginx.conf that nginx -t accepts (map strings compare ignoring case, and no key is there twice)', () => {
    const check = checkNginxConf(served.out);
    expect(check.output).toContain('test is successful');
    expect(check.ok).toBe(true);
  });

  it('exports one resolve file for /old and /old?x=1, holding what the service answers to both: the page at /old', async () => {
    const old = served.result.files.filter((file) => file.file === '/v1/resolve/old.json');
    expect(old.map((file) => file.spellings)).toEqual([['/old', '/old?x=1']]);
    const answer = JSON.parse((await served.app.inject({ url: '/v1/resolve?path=/old?x=1' })).body) as { kind: string; path: string };
    expect(answer).toMatchObject({ kind: 'page', path: '/old' });
  });

  describe('once started', () => {
    beforeAll(async () => {
      served.nginx = await startNginx(served.out, `${served.front}/v1/site`);
    }, 60_000);

    it('answers every exported URL, and every spelling of each resolve file, as the service does: /Case/ and /case/ each with its own page', async () => {
      for (const file of served.result.files) {
        const urls =
          file.kind === 'resolve'
            ? file.spellings!.flatMap((spelling) => [
                `/v1/resolve?path=${spelling}`,
                `/v1/resolve?${new URLSearchParams({ path: spelling })}`,
              ])
            : [file.url];
        for (const url of urls) {
          const { nginx, service } = await bothAnswer(served, url, { accept: acceptOf(file) });
          expect(nginx).toEqual(service);
          expect(nginx.status).toBe(200);
        }
      }
      const titles = await Promise.all(
        ['/Case/', '/case/'].map(async (spelling) => {
          const response = await fetch(`${served.front}/v1/resolve?path=${spelling}`);
          return ((await response.json()) as { page: { title: string } }).page.title;
        }),
      );
      expect(titles).toEqual(['Upper case', 'Lower case']);
    });

    it('answers a URL that differs from an exported one only in case as the service does (404), with or without its ETag', async () => {
      await expectOtherCaseAnsweredAsService(served);
    });
  });
});

describe('nginx serving an export of the bundled content', () => {
  let served: Served;

  beforeAll(async () => {
    served = await exportOf(bundledContent);
    served.nginx = await startNginx(served.out, `${served.front}/v1/site`);
  }, 120_000);
  afterAll(() => stop(served));

  it('answers /v1/resolve?path=/PEER-REVIEW/ and /v1/pages/INDEX, and every other URL that differs from an exported one only in case, as the service does (404)', async () => {
    for (const url of ['/v1/resolve?path=/PEER-REVIEW/', '/v1/pages/INDEX']) {
      const { nginx, service } = await bothAnswer(served, url, { accept: 'application/json' });
      expect(nginx).toEqual(service);
      expect(nginx.status).toBe(404);
    }
    await expectOtherCaseAnsweredAsService(served);
  });
});
