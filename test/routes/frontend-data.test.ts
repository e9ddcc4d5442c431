import { cp, mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, pyopensciCorpus } from '../helpers/app.ts';

/** A 2×3 PNG (its pixel bytes do not matter to image-size). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4);
    data.copy(out, 8);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(9))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let app: FastifyInstance;
let site: string;

beforeAll(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'frontend-data-'));
  await cp(pyopensciCorpus, site, { recursive: true });
  await mkdir(path.join(site, 'images/headers'), { recursive: true });
  await writeFile(path.join(site, 'images/headers/pyopensci-floral.png'), png(2, 3));
  await writeFile(path.join(site, '.env'), 'SECRET=1\n');
  await mkdir(path.join(site, '_data/archive'));
  await writeFile(path.join(site, '_data/日本.yml'), '- Ada\n');
  app = await appFor(site);
}, 120_000);
afterAll(async () => app?.close());

describe('GET /v1/data/{name}', () => {
  it('serves a _data file as JSON', async () => {
    const response = await app.inject('/v1/data/authors');
    expect(response.statusCode).toBe(200);
    expect(response.json()['Leah Wasser'].bio).toContain('Executive Director');
  });
  it('returns 404 problem+json for an unknown name, naming the files there are', async () => {
    const response = await app.inject('/v1/data/no-such-data');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain('authors');
  });
  it('serves an empty _data folder as {}, as Jekyll reads it', async () => {
    const response = await app.inject('/v1/data/archive');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
  });
  it('names in a 404 only the data files a name can ask for, not one whose key is empty (_data/日本.yml)', async () => {
    const { detail } = (await app.inject('/v1/data/no-such-data')).json();
    expect(detail).toMatch(/\(it has: advisory, archive, authors, /);
    expect(detail).not.toMatch(/: ,|, ,|, \)/);
  });
});

describe('GET /v1/categories and /v1/tags', () => {
  it('lists categories with their slug, page count and list link', async () => {
    const { items } = (await app.inject('/v1/categories')).json();
    const blog = items.find((item: { name: string }) => item.name === 'blog-post');
    expect(blog).toMatchObject({ slug: 'blog-post', pages: '/v1/pages?category=blog-post' });
    expect(blog.count).toBeGreaterThan(10);
    const list = (await app.inject(blog.pages + '&limit=1')).json();
    expect(list.total).toBe(blog.count);
  });
  it('gives a category with its pages, and 404 for an unknown one', async () => {
    const term = (await app.inject('/v1/categories/blog-post')).json();
    expect(term.items.length).toBe(term.count);
    expect((await app.inject('/v1/categories/nope')).statusCode).toBe(404);
    expect((await app.inject('/v1/tags')).statusCode).toBe(200);
  });
});

describe("a page's author and images", () => {
  it('resolves the author from _data/authors.yml', async () => {
    const page = (await app.inject('/v1/pages/why-we-choose-what-we-choose')).json();
    expect(page.author).toMatchObject({ name: 'Jeremiah Paige', resolved: true, avatar: '/images/people/jeremiah-paige.jpg' });
    expect(page.author.links.length).toBeGreaterThan(0);
  });
  it('points the header image at /v1/assets/ with its width and height, and serves it', async () => {
    const page = (await app.inject('/v1/pages/why-we-choose-what-we-choose')).json();
    expect(page.front_matter.header.overlay_image).toBe('/v1/assets/images/headers/pyopensci-floral.png');
    expect(page.images).toContainEqual({
      field: 'front_matter.header.overlay_image',
      src: 'images/headers/pyopensci-floral.png',
      url: '/v1/assets/images/headers/pyopensci-floral.png',
      width: 2,
      height: 3,
    });
    const image = await app.inject('/v1/assets/images/headers/pyopensci-floral.png');
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['cache-control']).toContain('max-age=86400');
    const again = await app.inject({
      url: '/v1/assets/images/headers/pyopensci-floral.png',
      headers: { 'if-none-match': String(image.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });
  it('serves an image to whatever Accept admits its type, and 406 to one that does not', async () => {
    const url = '/v1/assets/images/headers/pyopensci-floral.png';
    const browserImg = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
    for (const accept of ['image/*', 'image/png', browserImg, '*/*', 'text/html,application/xhtml+xml,*/*;q=0.8']) {
      const response = await app.inject({ url, headers: { accept } });
      expect(response.statusCode, accept).toBe(200);
      expect(response.headers['content-type'], accept).toBe('image/png');
    }
    for (const accept of ['application/json', 'image/jpeg', 'text/*']) {
      const response = await app.inject({ url, headers: { accept } });
      expect(response.statusCode, accept).toBe(406);
      expect(response.json().detail, accept).toBe('This resource is available as image/png; the Accept header admits none of them.');
    }
  });
  it('never serves dotfiles, config, data or page sources as assets', async () => {
    for (const probe of [
      '.env',
      '_config.yml',
      'images/..%2f_config.yml',
      'images/%2e%2e/_config.yml',
      '_data/authors.yml',
      '_posts/2025-10-02-why-we-choose-what-we-choose.md',
      '404.md',
    ]) {
      for (const accept of [undefined, '*/*', 'text/plain', 'image/*'])
        expect((await app.inject({ url: `/v1/assets/${probe}`, headers: accept ? { accept } : {} })).statusCode, `${probe} ${accept}`).toBe(
          404,
        );
    }
  });
});

describe('GET /v1/pages with front-matter fields and where=', () => {
  it('returns front-matter paths asked for in fields=, nested', async () => {
    const { items } = (await app.inject('/v1/pages?type=posts&limit=100&fields=slug,front_matter.header.overlay_image')).json();
    expect(items).toContainEqual({
      slug: 'why-we-choose-what-we-choose',
      front_matter: { header: { overlay_image: '/v1/assets/images/headers/pyopensci-floral.png' } },
    });
  });
  it('filters on any front-matter key with eq, in, exists, before and after', async () => {
    const byAuthor = (await app.inject('/v1/pages?limit=100&fields=slug&where=front_matter.author:eq:Jeremiah%20Paige')).json();
    expect(byAuthor.items.map((item: { slug: string }) => item.slug)).toContain('why-we-choose-what-we-choose');
    const dated = (
      await app.inject('/v1/pages?type=posts&limit=100&fields=date&where=date:after:2025-01-01&where=front_matter.author:exists:true')
    ).json();
    expect(dated.items.every((item: { date: string }) => item.date > '2025-01-01')).toBe(true);
    const inList = (await app.inject('/v1/pages?limit=1&where=front_matter.author:in:Jeremiah%20Paige,Leah%20Wasser')).json();
    expect(inList.total).toBeGreaterThan(1);
  });
  it('refuses an unknown operator or field with 400 and a hint', async () => {
    const operator = await app.inject('/v1/pages?where=front_matter.author:like:x');
    expect(operator.statusCode).toBe(400);
    expect(JSON.stringify(operator.json())).toContain('use one of eq, in, exists, before, after');
    expect((await app.inject('/v1/pages?where=nope:eq:x')).statusCode).toBe(400);
    expect((await app.inject('/v1/pages?fields=front_matter')).statusCode).toBe(400);
  });
});
