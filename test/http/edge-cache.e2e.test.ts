import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { createEdgeCache } from '../../src/http/edge-cache.ts';
import { JSON_CONTENT_TYPE, represent, representLazily } from '../../src/http/representation.ts';
import delivery from '../../src/plugins/delivery.ts';
import { bundledContent } from '../helpers/app.ts';

const token = 'edge-cache-preview-token-0123456789';
let app: FastifyInstance;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'edge-'));
  await cp(bundledContent, dir, { recursive: true });
  app = await buildApp({ contentDir: dir, previewToken: token });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** A response as a client sees it, without the headers that change with every answer. */
async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(base + url, { headers });
  const seen = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'keep-alive', 'connection'].includes(name)));
  return { status: response.status, headers: seen, body: Buffer.from(await response.arrayBuffer()) };
}

describe('the response cache in front of the router', () => {
  it('answers a repeated request exactly as the route did', async () => {
    const routed = await get('/v1/pages/index');
    // Remembered once routed a second time (see SEEN_ONCE_MAX), then answered without the router.
    expect(await get('/v1/pages/index')).toEqual(routed);
    const lookups = vi.spyOn(app.content, 'viewFor');
    try {
      const cached = await get('/v1/pages/index');
      expect(lookups).not.toHaveBeenCalled();
      expect(cached).toEqual(routed);
      expect(routed.headers.etag).toBeDefined();
      // The security headers too: the cache replays the routed ones, it adds and drops none.
      expect(cached.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      expect(cached.headers['content-security-policy']).toContain("default-src 'none'");
    } finally {
      lookups.mockRestore();
    }
  });

  it('remembers an answer when its URL is routed the second time, not the first', async () => {
    const lookups = vi.spyOn(app.content, 'viewFor');
    try {
      const url = '/v1/search?q=remembered';
      for (let asked = 1; asked <= 4; asked++) await get(url);
      // Routed twice (the search route looks the view up once a request), then answered from memory.
      expect(lookups).toHaveBeenCalledTimes(2);
    } finally {
      lookups.mockRestore();
    }
  });

  it('answers an HTML fragment from memory with the same locked-down policy the route sent', async () => {
    const routed = await get('/v1/pages/contributors', { accept: 'text/html' });
    await get('/v1/pages/contributors', { accept: 'text/html' });
    const cached = await get('/v1/pages/contributors', { accept: 'text/html' });
    expect(cached).toEqual(routed);
    expect(routed.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
  });

  it('keeps JSON and HTML apart, and answers 304, HEAD and brotli from memory too', async () => {
    await get('/v1/pages/index', { accept: 'text/html' });
    await get('/v1/pages/index', { accept: 'text/html' });
    const html = await get('/v1/pages/index', { accept: 'text/html' });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    const json = await get('/v1/pages/index');
    expect(json.headers['content-type']).toMatch(/^application\/json/);

    const revalidated = await get('/v1/pages/index', { 'if-none-match': json.headers.etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);

    const head = await fetch(`${base}/v1/pages/index`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    // fetch decodes brotli itself: the body equals the plain one.
    const br = await fetch(`${base}/v1/pages/index`, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(Buffer.from(await br.arrayBuffer())).toEqual(json.body);
  });

  it('answers 304 with the headers the route sends with one', async () => {
    const { etag } = (await get('/v1/pages/index')).headers;
    // A new Accept value is a new key: the first conditional request for it is routed.
    const routed = await get('/v1/pages/index', { accept: 'application/json', 'if-none-match': etag });
    await get('/v1/pages/index', { accept: 'application/json' });
    await get('/v1/pages/index', { accept: 'application/json' });
    const cached = await get('/v1/pages/index', { accept: 'application/json', 'if-none-match': etag });
    expect(routed.status).toBe(304);
    expect(cached).toEqual(routed);
    expect(cached.headers).toMatchObject({
      etag,
      vary: expect.stringContaining('Accept, Accept-Encoding'),
      'access-control-allow-origin': '*',
    });
    expect(cached.headers['content-type']).toBeUndefined();
  });

  it('never holds a preview response, nor serves a draft to a request without the token', async () => {
    const preview = await get('/v1/pages/roadmap-draft', { authorization: `Bearer ${token}` });
    expect(preview.status).toBe(200);
    expect(preview.headers['cache-control']).toBe('private, no-store');
    await get('/v1/pages/roadmap-draft', { authorization: `Bearer ${token}` });
    expect((await get('/v1/pages/roadmap-draft')).status).toBe(404);
  });

  it('reads header names in any case and joins repeated If-None-Match headers as Node does, routed and from memory', async () => {
    const { etag } = (await get('/v1/pages/index')).headers;
    // Raw requests: fetch would join repeated headers itself.
    const raw = async (lines: string[]) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1');
      socket.write(`GET /v1/pages/index HTTP/1.1\r\nHost: ${new URL(base).host}\r\nConnection: close\r\n${lines.join('\r\n')}\r\n\r\n`);
      let text = '';
      for await (const chunk of socket) text += chunk;
      socket.destroy();
      return text.split('\r\n')[0];
    };
    const cases: [string[], string][] = [
      [[`IF-NONE-MATCH: ${etag}`], 'HTTP/1.1 304 Not Modified'],
      [['If-None-Match: "other"', `If-None-Match: ${etag}`], 'HTTP/1.1 304 Not Modified'],
      [[`If-None-Match: ${etag}`, 'If-None-Match: "other"'], 'HTTP/1.1 304 Not Modified'],
      [['If-None-Match: "other"', 'If-None-Match: "another"'], 'HTTP/1.1 200 OK'],
    ];
    for (const [index, [lines, status]] of cases.entries()) {
      // An Accept value of its own per case: its first two requests are routed, the third answered by the edge.
      const accept = `Accept: application/json;q=0.${index + 1}`;
      expect(await raw([accept, ...lines]), `routed: ${lines.join(',')}`).toBe(status);
      expect(await raw([accept, ...lines]), `routed again: ${lines.join(',')}`).toBe(status);
      expect(await raw([accept, ...lines]), `edge: ${lines.join(',')}`).toBe(status);
    }
  });

  it('forgets everything when the content changes', async () => {
    await get('/v1/pages/resources');
    await get('/v1/pages/resources');
    const before = await get('/v1/pages/resources');
    await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nEdge cache test text.\n');
    await app.content.reload();
    const after = await get('/v1/pages/resources');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.toString()).toContain('Edge cache test text.');
  });
});

describe('a response whose content was read before the cache was cleared', () => {
  it('is not remembered, though it is sent after the clear', async () => {
    const edge = createEdgeCache();
    const service = Fastify();
    await service.register(delivery, { edge, maxAge: 60, staleWhileRevalidate: 300, corsOrigins: ['*'] });
    // A route that reads its content, then waits (as a listed page waits for its render) before it answers.
    let text = 'before the edit';
    let waiting: Promise<void> = Promise.resolve();
    service.get('/page', async (_request, reply) => {
      const read = text;
      await waiting;
      return reply.represent(represent(JSON.stringify({ text: read }), JSON_CONTENT_TYPE, new Date(0)));
    });
    const written: { body?: Buffer } = {};
    const response = { writeHead: () => undefined, end: (body?: Buffer) => (written.body = body) };
    const answeredFromMemory = () => edge.serve({ method: 'GET', url: '/page', headers: {} } as never, response as never);
    try {
      // Routed once: seen. The second routed answer would be remembered.
      await service.inject('/page');
      let release!: () => void;
      waiting = new Promise((resolve) => (release = resolve));
      const slow = service.inject('/page');
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The content changes while the route waits: the cache is cleared (as build-app.ts does).
      text = 'after the edit';
      edge.clear();
      release();
      expect((await slow).json()).toEqual({ text: 'before the edit' });
      expect(answeredFromMemory()).toBe(false);
      // Requests that begin after the clear are remembered as before.
      await service.inject('/page');
      await service.inject('/page');
      expect(answeredFromMemory()).toBe(true);
      expect(JSON.parse(written.body!.toString())).toEqual({ text: 'after the edit' });
    } finally {
      await service.close();
    }
  });
});

describe('remembering a revalidation', () => {
  it('answers later requests from a routed 304 too (a CDN that only revalidates)', () => {
    const edge = createEdgeCache();
    const representation = represent('{"slug":"index"}', 'application/json; charset=utf-8', new Date('2026-01-01'));
    const headers = { host: 'api.test', 'if-none-match': representation.etag };
    const routedHeaders = { etag: representation.etag, 'cache-control': 'public, max-age=60', vary: 'Accept, Accept-Encoding' };
    // Routed twice: remembered the second time.
    for (let routed = 0; routed < 2; routed++) {
      edge.remember(
        { headers, raw: { url: '/v1/pages/index' }, preview: false } as never,
        { statusCode: 304, getHeaders: () => routedHeaders } as never,
        representation,
        edge.generation,
      );
    }
    const written: { status?: number; headers?: object; body?: unknown } = {};
    const response = {
      writeHead: (status: number, sent: object) => Object.assign(written, { status, headers: sent }),
      end: (body?: unknown) => (written.body = body),
    };
    const request = (extra: object) => ({ method: 'GET', url: '/v1/pages/index', headers: { host: 'api.test', ...extra } }) as never;

    expect(edge.serve(request({ 'if-none-match': representation.etag }), response as never)).toBe(true);
    expect(written).toMatchObject({ status: 304, headers: routedHeaders, body: undefined });
    expect(edge.serve(request({}), response as never)).toBe(true);
    expect(written).toMatchObject({
      status: 200,
      headers: { ...routedHeaders, 'content-type': 'application/json; charset=utf-8' },
      body: representation.body,
    });
  });

  it('answers br, gzip and 304 from a precompressed page without serializing its plain body again', async () => {
    const edge = createEdgeCache();
    const json = JSON.stringify({ text: 'a page body '.repeat(500) });
    let serialized = 0;
    const representation = representLazily(() => (serialized++, json), JSON_CONTENT_TYPE, new Date(0), 'page');
    await representation.precompress();
    const routedHeaders = { etag: representation.etag, 'content-type': JSON_CONTENT_TYPE };
    for (let routed = 0; routed < 2; routed++) {
      edge.remember(
        { headers: { host: 'api.test' }, raw: { url: '/v1/pages/big' }, preview: false } as never,
        { statusCode: 200, getHeaders: () => routedHeaders } as never,
        representation,
        edge.generation,
      );
    }
    const written: { status?: number; headers?: Record<string, unknown>; body?: Buffer } = {};
    const response = {
      writeHead: (status: number, sent: Record<string, unknown>) => Object.assign(written, { status, headers: sent }),
      end: (body?: Buffer) => (written.body = body),
    };
    const request = (extra: object) => ({ method: 'GET', url: '/v1/pages/big', headers: { host: 'api.test', ...extra } }) as never;

    for (const encoding of ['br', 'gzip', 'br']) {
      expect(edge.serve(request({ 'accept-encoding': encoding }), response as never)).toBe(true);
      expect(written.headers).toMatchObject({ 'content-encoding': encoding, 'content-length': written.body!.length });
    }
    expect(edge.serve(request({ 'if-none-match': representation.etag }), response as never)).toBe(true);
    expect(written.status).toBe(304);
    expect(serialized).toBe(1);
    // A client without compression gets the plain body, serialized again, with its length.
    expect(edge.serve(request({}), response as never)).toBe(true);
    expect(written.body!.toString()).toBe(json);
    expect(written.headers!['content-length']).toBe(Buffer.byteLength(json));
    expect(serialized).toBe(2);
  });
});

describe('compressed answers kept ready', () => {
  /** A body gzip cannot shrink much, so its variant's bytes matter to the entry's size. */
  const incompressible = (seed: number) =>
    JSON.stringify({ text: Array.from({ length: 400 }, (_, at) => ((at * 7919 + seed) * 104729).toString(36)).join('') });
  const remembered = (edge: ReturnType<typeof createEdgeCache>, url: string, body: string) => {
    const representation = represent(body, JSON_CONTENT_TYPE, new Date(0));
    for (let routed = 0; routed < 2; routed++)
      edge.remember(
        { headers: { host: 'api.test' }, raw: { url }, preview: false } as never,
        { statusCode: 200, getHeaders: () => ({ etag: representation.etag, 'content-type': JSON_CONTENT_TYPE }) } as never,
        representation,
        edge.generation,
      );
    return representation;
  };
  const written: { status?: number; headers?: Record<string, unknown>; body?: Buffer } = {};
  const response = {
    writeHead: (status: number, sent: Record<string, unknown>) => Object.assign(written, { status, headers: sent }),
    end: (body?: Buffer) => (written.body = body),
  };
  const serve = (edge: ReturnType<typeof createEdgeCache>, url: string, headers: object = {}) =>
    edge.serve({ method: 'GET', url, headers: { host: 'api.test', ...headers } } as never, response as never);

  it('answers an Accept-Encoding value seen before without negotiating or looking up the body again, with the same bytes', () => {
    const edge = createEdgeCache();
    const representation = remembered(edge, '/v1/pages/a', incompressible(1));
    const encoded = vi.spyOn(representation, 'encoded');
    const answers: Buffer[] = [];
    for (let at = 0; at < 3; at++) {
      expect(serve(edge, '/v1/pages/a', { 'accept-encoding': 'br, gzip, deflate' })).toBe(true);
      expect(written.headers).toMatchObject({
        'content-encoding': 'br',
        'content-length': written.body!.length,
        etag: representation.etag,
      });
      answers.push(written.body!);
    }
    expect(encoded).toHaveBeenCalledTimes(1);
    expect(answers[2].equals(representation.encoded('br') as Buffer)).toBe(true);
    // Another value is negotiated once, and then kept ready too.
    serve(edge, '/v1/pages/a', { 'accept-encoding': 'gzip' });
    serve(edge, '/v1/pages/a', { 'accept-encoding': 'gzip' });
    expect(written.headers).toMatchObject({ 'content-encoding': 'gzip' });
    expect(encoded).toHaveBeenCalledTimes(3);
    // A revalidation and a plain request are answered as before.
    expect(serve(edge, '/v1/pages/a', { 'accept-encoding': 'gzip', 'if-none-match': representation.etag })).toBe(true);
    expect(written.status).toBe(304);
    serve(edge, '/v1/pages/a');
    expect(written.headers!['content-encoding']).toBeUndefined();
    expect(written.body!.equals(representation.body)).toBe(true);
  });

  it('keeps a handful of values an entry, and counts the bytes it keeps in the cache size', () => {
    const a = incompressible(1);
    const b = incompressible(2);
    // Room for the two entries (2 KB of overhead, the key and the body each), not for a compressed variant as well.
    const edge = createEdgeCache({ maxBytes: 2 * (2048 + 64 + a.length) + 1000 });
    const representation = remembered(edge, '/v1/pages/a', a);
    remembered(edge, '/v1/pages/b', b);
    expect(serve(edge, '/v1/pages/a')).toBe(true);
    expect(serve(edge, '/v1/pages/b')).toBe(true);
    const encoded = vi.spyOn(representation, 'encoded');
    // Value after value (only a few are kept): every one answered right, the later ones negotiated each time.
    const values: [string, string][] = [
      ['gzip', 'gzip'],
      ['gzip, br', 'gzip'],
      ['br', 'br'],
      ['br;q=1, gzip;q=0.5', 'br'],
      ['gzip;q=1, br;q=0.1', 'gzip'],
      ['x-gzip, br', 'br'],
    ];
    for (const [value, encoding] of [...values, ...values]) {
      expect(serve(edge, '/v1/pages/a', { 'accept-encoding': value })).toBe(true);
      expect(written.headers!['content-encoding'], value).toBe(encoding);
    }
    expect(encoded.mock.calls.length).toBeGreaterThan(values.length);
    expect(encoded.mock.calls.length).toBeLessThan(2 * values.length);
    // /a's compressed bytes took the room /b had: the least recently used is gone.
    expect(serve(edge, '/v1/pages/a')).toBe(true);
    expect(serve(edge, '/v1/pages/b')).toBe(false);
  });
});

describe('admission', () => {
  it('leaves the entries asked for again cached through a flood of URLs asked once each', () => {
    // Room for a handful of entries: any URL remembered on its first request would push the hot one out.
    const edge = createEdgeCache({ maxBytes: 5 * 2400 });
    const representation = represent('{"ok":true}', JSON_CONTENT_TYPE, new Date(0));
    const route = (url: string) =>
      edge.remember(
        { headers: { host: 'api.test' }, raw: { url }, preview: false } as never,
        { statusCode: 200, getHeaders: () => ({ etag: representation.etag }) } as never,
        representation,
        edge.generation,
      );
    const served = (url: string) => {
      const response = { writeHead: () => undefined, end: () => undefined };
      return edge.serve({ method: 'GET', url, headers: { host: 'api.test' } } as never, response as never);
    };
    route('/v1/pages/hot');
    expect(served('/v1/pages/hot')).toBe(false);
    route('/v1/pages/hot');
    expect(served('/v1/pages/hot')).toBe(true);
    for (let at = 0; at < 1000; at++) route(`/v1/search?q=once${at}`);
    expect(served('/v1/pages/hot')).toBe(true);
    expect(served('/v1/search?q=once999')).toBe(false);
    // Asked again, one of them is remembered too.
    route('/v1/search?q=once999');
    expect(served('/v1/search?q=once999')).toBe(true);
  });
});
