import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent, pyopensciCorpus } from '../helpers/app.ts';

interface Item {
  slug: string;
  title?: string;
  date?: string | null;
  last_modified?: string | null;
  layout?: string | null;
  categories?: string[];
  tags?: string[];
  permalink?: string;
  collection?: string | null;
}

let app: FastifyInstance;
let corpus: FastifyInstance;
beforeAll(async () => {
  [app, corpus] = await Promise.all([appFor(bundledContent), appFor(pyopensciCorpus)]);
});
afterAll(() => Promise.all([app.close(), corpus.close()]));

const list = async (target: FastifyInstance, query: string) => {
  const response = await target.inject(`/v1/pages?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{
    items: Item[];
    total: number;
    offset: number;
    next: string | null;
    prev: string | null;
    next_cursor: string | null;
  }>();
};

describe('GET /v1/pages: fields', () => {
  it('returns only the fields asked for, and the slug', async () => {
    const body = await list(corpus, 'fields=slug,title&limit=5');
    expect(body.items).toHaveLength(5);
    for (const item of body.items) expect(Object.keys(item).sort()).toEqual(['slug', 'title']);
    expect(Object.keys((await list(app, 'fields=date')).items[0]).sort()).toEqual(['date', 'slug']);
  });

  it('refuses an unknown field with 400 problem+json naming it and listing the known ones', async () => {
    const response = await app.inject('/v1/pages?fields=slug,nosuchfield');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem.invalid_params).toEqual([
      { in: 'query', name: 'fields', reason: expect.stringContaining('unknown field "nosuchfield"') },
    ]);
    expect(problem.invalid_params[0].reason).toContain('slug, title, permalink');
  });

  it('refuses an unknown parameter with 400 naming it, rather than ignoring a misspelt filter', async () => {
    const response = await app.inject('/v1/pages?layuot=single&tag=x');
    expect(response.statusCode).toBe(400);
    expect(response.json().invalid_params).toEqual([
      { in: 'query', name: 'layuot', reason: expect.stringContaining('is not a parameter of this route') },
    ]);
  });
  it('refuses __proto__ and the other names of Object.prototype as it refuses any unknown parameter, on every route', async () => {
    for (const route of ['/v1/pages', '/v1/site']) {
      for (const name of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']) {
        const response = await app.inject(`${route}?${name}=x`);
        expect(response.statusCode, `${route} ${name}`).toBe(400);
        expect(response.json().invalid_params, `${route} ${name}`).toEqual([
          { in: 'query', name, reason: expect.stringContaining('is not a parameter of this route') },
        ]);
      }
    }
    expect(Object.prototype).not.toHaveProperty('x');
  });
});

describe('GET /v1/pages: sort', () => {
  it('sorts by title A to Z as a reader does (case and accents aside), and Z to A with order=desc', async () => {
    const titles = (await list(corpus, 'sort=title&fields=title&limit=100')).items.map((item) => item.title!);
    expect(titles).toHaveLength(92);
    titles.forEach(
      (title, index) => index === 0 || expect(titles[index - 1].localeCompare(title, 'en', { sensitivity: 'base' })).toBeLessThanOrEqual(0),
    );
    const descending = (await list(corpus, 'sort=title&order=desc&fields=title&limit=100')).items.map((item) => item.title!);
    expect(descending[0]).toBe(titles.at(-1));
  });

  it('sorts by date newest first by default, pages without a date last either way', async () => {
    const newest = (await list(corpus, 'sort=date&fields=date&limit=100')).items.map((item) => item.date);
    const dated = newest.filter((date) => date !== null) as string[];
    expect(dated).toEqual([...dated].sort().reverse());
    expect(newest.slice(dated.length).every((date) => date === null)).toBe(true);
    const oldest = (await list(corpus, 'sort=date&order=asc&fields=date&limit=100')).items.map((item) => item.date);
    expect(oldest.slice(0, dated.length)).toEqual([...dated].sort());
    expect(oldest.at(-1)).toBeNull();
  });

  it('sorts by last_modified, the front matter date first', async () => {
    const items = (await list(app, 'sort=last_modified&order=asc&fields=last_modified')).items;
    expect(items).toHaveLength(6);
  });
});

describe('GET /v1/pages: filters', () => {
  it('filters by type, layout, category, tag, date range and path prefix', async () => {
    const posts = await list(corpus, 'type=posts&fields=collection&limit=100');
    expect(posts.total).toBeGreaterThan(50);
    expect(posts.items.every((item) => item.collection === 'posts')).toBe(true);
    const pages = await list(corpus, 'type=page&fields=collection&limit=100');
    expect(pages.total + posts.total).toBe(92);

    expect((await list(corpus, 'layout=splash&fields=layout&limit=100')).items.every((item) => item.layout === 'splash')).toBe(true);

    const all = (await list(corpus, 'limit=100')).items;
    const category = all.flatMap((item) => item.categories!)[0];
    const tag = all.flatMap((item) => item.tags!)[0];
    const inCategory = await list(corpus, `category=${encodeURIComponent(category)}&limit=100`);
    expect(inCategory.total).toBe(all.filter((item) => item.categories!.includes(category)).length);
    const tagged = await list(corpus, `tag=${encodeURIComponent(tag)}&limit=100`);
    expect(tagged.total).toBe(all.filter((item) => item.tags!.includes(tag)).length);

    const in2024 = await list(corpus, 'since=2024-01-01&until=2024-12-31&fields=date&limit=100');
    expect(in2024.total).toBeGreaterThan(0);
    expect(in2024.items.every((item) => item.date!.startsWith('2024-'))).toBe(true);

    const blog = await list(corpus, 'path=/blog/&fields=permalink&limit=100');
    expect(blog.total).toBeGreaterThan(0);
    expect(blog.items.every((item) => item.permalink!.startsWith('/blog/'))).toBe(true);
  });

  it('refuses a date that is not YYYY-MM-DD and a path that is not one', async () => {
    for (const query of ['since=2024-13-01', 'until=yesterday', 'path=blog/']) {
      expect((await app.inject(`/v1/pages?${query}`)).statusCode, query).toBe(400);
    }
  });

  it('refuses a where= date that is not in the calendar, saying which', async () => {
    for (const day of ['2024-13-45', '2024-02-30', '2023-02-29']) {
      const response = await app.inject(`/v1/pages?where=date:after:${day}`);
      expect(response.statusCode, day).toBe(400);
      expect(response.json().detail, day).toContain(`not in the calendar (${day})`);
    }
    expect((await app.inject('/v1/pages?where=date:after:2024-02-29')).statusCode).toBe(200);
  });
});

describe('GET /v1/pages: paging', () => {
  it('walks every page exactly once by following the next links, with the total', async () => {
    const seen: string[] = [];
    let url: string | null = '/v1/pages?sort=date&limit=7&fields=slug';
    let pages = 0;
    while (url) {
      const body: { total: number; offset: number; items: Item[]; next: string | null } = (await corpus.inject(url)).json();
      expect(body.total).toBe(92);
      expect(body.offset).toBe(seen.length);
      seen.push(...body.items.map((item: Item) => item.slug));
      url = body.next;
      pages += 1;
    }
    expect(pages).toBe(14);
    expect(new Set(seen).size).toBe(92);
  });

  it('keeps a cursor valid when the page it points after is gone', async () => {
    const first = await list(app, 'limit=2');
    const cursor = first.next_cursor!;
    // The bundled content in slug order: contributors, index | peer-review, python-packages, resources.
    expect(first.items.map((item) => item.slug)).toEqual(['contributors', 'index']);
    const next = await list(app, `limit=2&cursor=${cursor}`);
    expect(next.items.map((item) => item.slug)).toEqual(['peer-review', 'python-packages']);
    expect(next.prev).toBe('/v1/pages?limit=2&offset=0&sort=slug');
    // A cursor from another content version still means "after this position".
    const afterMissing = Buffer.from('=indexz\nindexz').toString('base64url');
    expect((await list(app, `limit=2&cursor=${afterMissing}`)).items.map((item) => item.slug)).toEqual(['peer-review', 'python-packages']);
  });

  it('pages with offset too, with prev and next links, and states its limit of 100 per page', async () => {
    const body = await list(app, 'limit=2&offset=2');
    expect(body.items.map((item) => item.slug)).toEqual(['peer-review', 'python-packages']);
    expect(body.prev).toBe('/v1/pages?limit=2&offset=0&sort=slug');
    expect(body.next).toMatch(/^\/v1\/pages\?cursor=[\w-]+&limit=2&sort=slug$/);
    expect((await list(app, 'limit=2&offset=4')).next).toBeNull();
    expect((await app.inject('/v1/pages?limit=101')).statusCode).toBe(400);
  });
});
