import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { exportSite, type ExportResult } from '../../src/export/export-site.ts';
import { injectClient } from '../../src/export/source.ts';
import { bundledContent, pyopensciCorpus } from '../helpers/app.ts';

/** The request a file answers, as a client would send it for that representation. */
function requestOf(file: ExportResult['files'][number]): { url: string; accept: string } {
  if (file.variant === 'html') return { url: file.url, accept: 'text/html' };
  return { url: file.url, accept: file.variant === 'json' || file.kind === 'resolve' ? 'application/json' : '*/*' };
}

for (const [name, contentDir] of [
  ['bundled content', bundledContent],
  ['pyOpenSci corpus', pyopensciCorpus],
] as const) {
  describe(`npm run export of the ${name}`, () => {
    let app: Awaited<ReturnType<typeof buildApp>>;
    let out: string;
    let result: ExportResult;

    beforeAll(async () => {
      app = await buildApp({ contentDir, siteUrl: 'https://www.example.org', loadInBackground: false, precompressMaxBytes: 0 });
      out = path.join(await mkdtemp(path.join(tmpdir(), 'export-')), 'site');
      result = await exportSite(injectClient(app), {
        out,
        listen: '127.0.0.1:8080',
        upstreams: ['http://127.0.0.1:3001', 'http://127.0.0.1:3002'],
        brotliModule: null,
      });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      if (out) await rm(path.dirname(out), { recursive: true, force: true });
    });

    it('writes every page as JSON and HTML, its sections, the lists, FAQ, navigation, site, resolve, sitemap, robots and OpenAPI', async () => {
      const urls = new Set(result.files.map((file) => `${file.url} ${file.variant ?? ''}`));
      const list = JSON.parse((await app.inject({ url: '/v1/pages?limit=100' })).body) as {
        items: { slug: string; permalink: string }[];
        total: number;
      };
      for (const { slug } of list.items) {
        for (const variant of ['json', 'html']) {
          expect(urls).toContain(`/v1/pages/${encodeURIComponent(slug)} ${variant}`);
          expect(urls).toContain(`/v1/pages/${encodeURIComponent(slug)}/sections ${variant}`);
        }
      }
      for (const url of [
        '/v1/pages json',
        '/v1/faq json',
        '/v1/faq?format=jsonld jsonld',
        '/v1/navigation json',
        '/v1/navigation/menus json',
        '/v1/site json',
      ])
        expect(urls).toContain(url);
      for (const url of [
        '/sitemap.xml ',
        '/robots.txt ',
        '/openapi.json ',
        '/openapi.yaml ',
        '/docs/ ',
        '/docs/static/swagger-ui-bundle.js ',
      ])
        expect(urls).toContain(url);
      expect(result.files.filter((file) => file.kind === 'resolve').length).toBeGreaterThanOrEqual(list.items.length);
    });

    it('holds in each file the bytes, type and ETag the service answers for the same request, and .gz and .br that decode to them', async () => {
      for (const file of result.files) {
        const { url, accept } = requestOf(file);
        const answer = await app.inject({ url, headers: { accept, 'accept-encoding': 'identity' } });
        const bytes = await readFile(path.join(out, 'public', file.file));
        expect({ url, status: answer.statusCode, same: answer.rawPayload.equals(bytes) }).toEqual({ url, status: 200, same: true });
        expect(answer.headers['content-type']).toBe(file.contentType);
        expect(answer.headers.etag).toBe(file.etag);
        if (file.compressed) {
          expect(gunzipSync(await readFile(path.join(out, 'public', `${file.file}.gz`))).equals(bytes)).toBe(true);
          expect(brotliDecompressSync(await readFile(path.join(out, 'public', `${file.file}.br`))).equals(bytes)).toBe(true);
        }
      }
    }, 120_000);

    it('serves every negotiated file statically: none is left to the replicas', () => {
      expect(result.proxied).toEqual([]);
    });

    it('writes nginx.conf with the upstreams, unbuffered events and retries on the next replica', async () => {
      const conf = await readFile(path.join(out, 'nginx.conf'), 'utf8');
      expect(conf).toContain('server 127.0.0.1:3001');
      expect(conf).toContain('server 127.0.0.1:3002');
      expect(conf).toMatch(/location = \/v1\/events \{[^}]*proxy_buffering off;/);
      expect(conf).toContain('proxy_next_upstream error timeout http_502 http_503 http_504;');
      // Every path relative to the export folder (the module is the system's).
      for (const line of conf.split('\n').filter((text) => /^\s*(root|pid|error_log|access_log|include|\w+_temp_path)\s/.test(text)))
        expect(line).not.toMatch(/\s\//);
    });

    it('writes _headers and _redirects for static hosts', async () => {
      const headers = await readFile(path.join(out, 'public', '_headers'), 'utf8');
      expect(headers).toMatch(/^\/v1\/\*\n(\s+[a-z-]+: .+\n)*\s+access-control-allow-origin: \*/m);
      const redirects = await readFile(path.join(out, 'public', '_redirects'), 'utf8');
      expect(redirects).toContain('/v1/pages/:slug /v1/pages/:slug.json 200');
    });
  });
}
