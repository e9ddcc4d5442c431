import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('GET /v1/navigation', () => {
  it('lists the header actions of every published page, resolved to slugs', async () => {
    const body = (await app.inject('/v1/navigation')).json();
    expect(body.total).toBe(4);
    expect(body.items).toContainEqual({
      label: 'Reviewed Packages',
      url: '/python-packages.html',
      internal: true,
      slug: 'python-packages',
      page: 'peer-review',
    });
  });
});

describe('GET /v1/resolve', () => {
  it.each([
    ['/', 'index'],
    ['/resources/', 'resources'],
    ['/resources', 'resources'],
    ['/python-packages.html', 'python-packages'],
    ['/python-packages', 'python-packages'],
    ['/index.html', 'index'],
  ])('maps %s to the page %s, named by its permalink', async (path, slug) => {
    const body = (await app.inject(`/v1/resolve?path=${encodeURIComponent(path)}`)).json();
    expect(body).toMatchObject({ kind: 'page', page: { slug } });
    expect(body.path).toBe(body.page.permalink);
  });

  it('answers every spelling of a page with one representation (one ETag), whatever fragment or slash it has', async () => {
    const spellings = ['/resources/', '/resources', '/resources/#a', '/resources/#b', '/resources/index.html'];
    const etags = new Set<string>();
    for (const spelling of spellings)
      etags.add(String((await app.inject(`/v1/resolve?path=${encodeURIComponent(spelling)}`)).headers.etag));
    expect(etags.size).toBe(1);
  });

  it('answers an unknown path with 404, a draft permalink too, and a missing path with 400', async () => {
    expect((await app.inject('/v1/resolve?path=/nowhere/')).statusCode).toBe(404);
    expect((await app.inject('/v1/resolve?path=/roadmap/')).statusCode).toBe(404);
    expect((await app.inject('/v1/resolve')).statusCode).toBe(400);
    expect((await app.inject('/v1/resolve?path=relative')).statusCode).toBe(400);
  });
});

describe('GET /health', () => {
  it('reports the content version and counts', async () => {
    const body = (await app.inject('/health')).json();
    expect(body).toMatchObject({ status: 'ok', pages: 6, errors: 0, warnings: 0 });
    expect(body.version).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('unknown routes', () => {
  it('answer 404 problem+json', async () => {
    const response = await app.inject('/no/such/route');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
