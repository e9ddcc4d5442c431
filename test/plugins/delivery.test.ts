import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/build-app.ts';
import { appFor, bundledContent } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('HTTP caching of content responses', () => {
  it('sends a strong ETag, Last-Modified, public Cache-Control and Vary: Accept, Accept-Encoding', async () => {
    const response = await app.inject('/v1/pages/index');
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(new Date(String(response.headers['last-modified'])).getTime()).not.toBeNaN();
    expect(response.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(response.headers.vary).toBe('Accept, Accept-Encoding');
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const { etag } = (await app.inject('/v1/pages/index')).headers;
    const revalidated = await app.inject({ url: '/v1/pages/index', headers: { 'if-none-match': String(etag) } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    expect(revalidated.headers.etag).toBe(etag);
    const other = await app.inject({ url: '/v1/pages/index', headers: { 'if-none-match': '"something-else"' } });
    expect(other.statusCode).toBe(200);
  });

  it('gives the HTML and JSON forms of a page different ETags', async () => {
    const json = await app.inject('/v1/pages/index');
    const html = await app.inject({ url: '/v1/pages/index', headers: { accept: 'text/html' } });
    expect(html.headers.etag).not.toBe(json.headers.etag);
  });

  it('keeps ETags across restarts for the same content and changes them when content changes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'etag-'));
    try {
      await cp(bundledContent, dir, { recursive: true });
      const first = await appFor(dir);
      const before = (await first.inject('/v1/pages/resources')).headers.etag;
      const list = (await first.inject('/v1/pages')).headers.etag;
      await first.close();
      const second = await appFor(dir);
      expect((await second.inject('/v1/pages/resources')).headers.etag).toBe(before);
      expect((await second.inject('/v1/pages')).headers.etag).toBe(list);
      await second.close();
      await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nChanged.\n');
      const third = await appFor(dir);
      expect((await third.inject('/v1/pages/resources')).headers.etag).not.toBe(before);
      await third.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('compression', () => {
  it('negotiates brotli and gzip, and the bodies decode to the same bytes', async () => {
    const plain = await app.inject({ url: '/v1/pages/index', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await app.inject({ url: '/v1/pages/index', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gzip = await app.inject({ url: '/v1/pages/index', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(br.headers.etag).toBe(plain.headers.etag);
  });

  it('gives each Accept-Encoding value its own choice, q-values included, however often it is asked', async () => {
    const cases: [string, string | undefined][] = [
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0, br;q=0', undefined],
      ['br, gzip', 'br'],
      ['gzip;q=0.5, br;q=0.1', 'gzip'],
      ['identity', undefined],
    ];
    for (let round = 0; round < 3; round++)
      for (const [accept, expected] of cases) {
        const response = await app.inject({ url: '/v1/pages/index', headers: { 'accept-encoding': accept } });
        expect(response.headers['content-encoding'], accept).toBe(expected);
      }
  });

  it('compresses the OpenAPI document too', async () => {
    const response = await app.inject({ url: '/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers['content-encoding']).toBe('gzip');
  });
});

describe('HEAD and CORS', () => {
  it('answers HEAD with the headers and no body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/v1/pages/index' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers.etag).toBeDefined();
  });

  it('allows cross-origin GETs', async () => {
    const response = await app.inject({ url: '/v1/pages/index', headers: { origin: 'https://example.org' } });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers a plain OPTIONS with 204 and the methods of the path in Allow (RFC 9110)', async () => {
    for (const url of ['/v1/pages', '/v1/pages/index?format=json', '/v1/assets/images/packages.png', '/health']) {
      for (const headers of [{}, { origin: 'https://example.org' }]) {
        const response = await app.inject({ method: 'OPTIONS', url, headers });
        expect(response.statusCode, url).toBe(204);
        expect(response.headers.allow, url).toBe('GET, HEAD, OPTIONS');
        expect(response.body, url).toBe('');
      }
    }
    const unknown = await app.inject({ method: 'OPTIONS', url: '/v1/no-such-route' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
    expect(unknown.json().detail).toBe('No route OPTIONS /v1/no-such-route. See /docs for the routes of this API.');
  });

  it('answers a CORS preflight with the methods browsers may use across origins', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/v1/pages',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(response.headers['access-control-max-age']).toBe('86400');
  });
});

describe('delivery configuration', () => {
  it('takes max-age and stale-while-revalidate from the config, and CORS origins from a list', async () => {
    const configured = await buildApp({
      contentDir: bundledContent,
      cacheMaxAge: 10,
      cacheStaleWhileRevalidate: 20,
      corsOrigins: ['https://site.example'],
    });
    try {
      const allowed = await configured.inject({ url: '/v1/pages/index', headers: { origin: 'https://site.example' } });
      expect(allowed.headers['cache-control']).toBe('public, max-age=10, stale-while-revalidate=20');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://site.example');
      // The answer depends on Origin: shared caches must keep one per origin.
      expect(String(allowed.headers.vary).split(/,\s*/)).toEqual(expect.arrayContaining(['Origin', 'Accept', 'Accept-Encoding']));
      const other = await configured.inject({ url: '/v1/pages/index', headers: { origin: 'https://elsewhere.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await configured.close();
    }
  });
});
