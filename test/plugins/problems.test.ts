import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import negotiationPlugin from '../../src/plugins/negotiation.ts';
import problemsPlugin from '../../src/plugins/problems.ts';
import { appFor, bundledContent } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

const PROBLEM = /^application\/problem\+json/;

describe('errors as RFC 9457 problem+json', () => {
  it('answers an unknown route with 404 problem+json pointing to /docs', async () => {
    const response = await app.inject('/no/such/route');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route GET /no/such/route. See /docs for the routes of this API.',
      instance: '/no/such/route',
    });
  });

  it('answers an unknown path under /v1/ with 404, not 405 (only the CORS preflight answers every path)', async () => {
    for (const url of ['/v1/no-such-route', '/v1/menus', '/v1/pages/index/extra/parts']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers.allow, url).toBeUndefined();
      expect(response.json().detail, url).toBe(`No route GET ${url}. See /docs for the routes of this API.`);
    }
    // A path under the site's files is one: another method there is 405.
    const post = await app.inject({ method: 'POST', url: '/v1/assets/images/logo.png' });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toMatch(/^GET, HEAD/);
  });

  it('says a parameter that takes one value was given more than once, on any route', async () => {
    for (const [url, name] of [
      ['/v1/faq?q=a&q=b', 'q'],
      ['/v1/pages?limit=2&limit=3&limit=4', 'limit'],
      ['/v1/pages?sort=slug&sort=title', 'sort'],
    ]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(400);
      const times = new URL(url, 'http://x').searchParams.getAll(name).length;
      expect(response.json().invalid_params, url).toEqual([
        { in: 'query', name, reason: `must be given once (it was given ${times} times)` },
      ]);
    }
  });

  it('says how many times a parameter that takes a list may be given, and how many it was', async () => {
    const where = (count: number) => Array.from({ length: count }, () => 'where=title:exists:true').join('&');
    expect((await app.inject(`/v1/pages?${where(10)}`)).statusCode).toBe(200);
    const response = await app.inject(`/v1/pages?${where(11)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().invalid_params).toEqual([
      { in: 'query', name: 'where', reason: 'must be given at most 10 times (it was given 11 times)' },
    ]);
  });

  it('answers a method a route does not take with 405 and an Allow header', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      const response = await app.inject({ method, url: '/v1/pages/index' });
      expect(response.statusCode, method).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.json()).toMatchObject({
        title: 'Method Not Allowed',
        status: 405,
        detail: `/v1/pages/index answers GET, HEAD, OPTIONS, not ${method}.`,
      });
    }
  });

  it("answers an Accept header that admits none of the route's media types with 406", async () => {
    for (const [url, accept] of [
      ['/v1/pages', 'image/png'],
      ['/v1/pages', 'text/html'],
      ['/v1/pages/index', 'application/xml'],
      ['/openapi.yaml', 'application/json'],
    ]) {
      const response = await app.inject({ url, headers: { accept } });
      expect(response.statusCode, `${url} ${accept}`).toBe(406);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.json().detail).toMatch(/^This resource is available as /);
    }
  });

  it('serves what Accept admits, with wildcards and weights', async () => {
    for (const accept of ['*/*', 'application/*', 'text/html;q=0.5, application/json', 'image/png, */*;q=0.1']) {
      expect((await app.inject({ url: '/v1/pages', headers: { accept } })).statusCode, accept).toBe(200);
    }
    expect((await app.inject({ url: '/v1/pages/index', headers: { accept: 'text/html' } })).headers['content-type']).toMatch(/^text\/html/);
  });

  it('names each offending parameter of a validation error', async () => {
    const response = await app.inject('/v1/faq?limit=0&offset=-1');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      title: 'Bad Request',
      detail: 'Invalid query parameters: limit: must be at least 1; offset: must be 0 or more',
      invalid_params: [
        { in: 'query', name: 'limit', reason: 'must be at least 1' },
        { in: 'query', name: 'offset', reason: 'must be 0 or more' },
      ],
    });
    expect((await app.inject('/v1/resolve')).json().invalid_params).toEqual([{ in: 'query', name: 'path', reason: expect.any(String) }]);
  });

  it('answers a broken URL with 400 and an absurdly long path parameter with 414, as problem+json', async () => {
    const broken = await app.inject('/v1/pages/%E0%A4%A');
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toMatch(PROBLEM);
    expect(broken.body).not.toContain('FST_');
    const long = await app.inject(`/v1/pages/${'x'.repeat(1001)}`);
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toMatch(PROBLEM);
    expect((await app.inject(`/v1/pages/${'x'.repeat(201)}`)).json().invalid_params).toEqual([
      { in: 'path', name: 'slug', reason: expect.any(String) },
    ]);
  });

  it('answers errors raised by plugins (a CORS preflight without an Origin) as problem+json too', async () => {
    const response = await app.inject({ method: 'OPTIONS', url: '/v1/pages', headers: { 'access-control-request-method': 'GET' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
  });
});

describe('unexpected errors', () => {
  let bare: FastifyInstance;
  beforeAll(async () => {
    bare = Fastify();
    await bare.register(problemsPlugin);
    await bare.register(negotiationPlugin);
    bare.get('/boom', async () => {
      throw new Error(`ENOENT: no such file or directory, open '${process.cwd()}/node_modules/secret/index.js'`);
    });
    await bare.ready();
  });
  afterAll(() => bare.close());

  it('are a plain 500 problem+json: no message, stack trace, file path or library name reaches the client', async () => {
    const response = await bare.inject('/boom');
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/boom',
      detail: 'The server could not answer this request. It has been logged.',
    });
    expect(response.body).not.toMatch(/ENOENT|node_modules|\/work\/|at .*\(/);
  });
});
