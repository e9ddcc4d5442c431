import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';
import { fixture } from '../helpers/app.ts';

const LARGE_BYTES = 8 * 1024 * 1024 + 123;
let work: string;
let large: Buffer;
let app: FastifyInstance;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'asset-delivery-'));
  await cp(fixture('image-variants'), path.join(work, 'content'), { recursive: true });
  large = randomBytes(LARGE_BYTES);
  await writeFile(path.join(work, 'content/images/large.pdf'), large);
  await writeFile(path.join(work, 'content/images/notes.txt'), 'first version of the notes\n');
  app = checkedAgainstContract(await buildApp({ contentDir: path.join(work, 'content'), images: { cacheDir: path.join(work, 'images') } }));
});
afterAll(async () => {
  await app?.close();
  await rm(work, { recursive: true, force: true });
});

const pdf = '/v1/assets/images/guide.pdf';

describe('GET /v1/assets/{path}: conditional requests, as for pages', () => {
  it('answers 304 with the ETag to If-None-Match given as is, weak (W/), in a list or as *', async () => {
    const first = await app.inject(pdf);
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await app.inject({ url: pdf, headers: { 'if-none-match': ifNoneMatch } });
      expect(response.statusCode, ifNoneMatch).toBe(304);
      expect(response.headers.etag, ifNoneMatch).toBe(etag);
      expect(response.body, ifNoneMatch).toBe('');
    }
    expect((await app.inject({ url: pdf, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
  });

  it('answers 304 to If-Modified-Since equal to Last-Modified, and 200 to an earlier date or one that If-None-Match overrides', async () => {
    const first = await app.inject(pdf);
    const lastModified = String(first.headers['last-modified']);
    expect((await app.inject({ url: pdf, headers: { 'if-modified-since': lastModified } })).statusCode).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await app.inject({ url: pdf, headers: { 'if-modified-since': earlier } })).statusCode).toBe(200);
    const overridden = await app.inject({ url: pdf, headers: { 'if-modified-since': lastModified, 'if-none-match': '"other"' } });
    expect(overridden.statusCode).toBe(200);
  });

  it("answers 304 to the ETag of an image variant, weak or not, and not to the file's own", async () => {
    const url = '/v1/assets/images/photo.jpg?w=64&format=webp';
    const variant = await app.inject(url);
    expect(variant.statusCode).toBe(200);
    const etag = String(variant.headers.etag);
    for (const ifNoneMatch of [etag, `W/${etag}`]) {
      expect((await app.inject({ url, headers: { 'if-none-match': ifNoneMatch } })).statusCode, ifNoneMatch).toBe(304);
    }
    const own = String((await app.inject('/v1/assets/images/photo.jpg')).headers.etag);
    expect((await app.inject({ url, headers: { 'if-none-match': own } })).statusCode).toBe(200);
  });

  it('keeps the ETag across requests, and changes it when the file changes', async () => {
    const url = '/v1/assets/images/notes.txt';
    const file = path.join(work, 'content/images/notes.txt');
    const before = await app.inject(url);
    const again = await app.inject(url);
    expect(again.headers.etag).toBe(before.headers.etag);
    // Same size, another content, another modification time.
    await writeFile(file, 'other version of the notes\n');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    const after = await app.inject(url);
    expect(after.body).toBe('other version of the notes\n');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((await app.inject({ url, headers: { 'if-none-match': String(before.headers.etag) } })).statusCode).toBe(200);
  });
});

describe('GET /v1/assets/{path}: a large file', () => {
  it('is sent whole and exact with its length, streamed: never held in memory as a whole', async () => {
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    const allocUnsafeSlow = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      // Read as a stream too, so that the only buffer the size of the file would be the route's.
      const response = await app.inject({ url: '/v1/assets/images/large.pdf', payloadAsStream: true });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-length']).toBe(String(LARGE_BYTES));
      expect(response.headers['accept-ranges']).toBe('bytes');
      const received = createHash('sha256');
      let length = 0;
      for await (const chunk of response.stream()) {
        received.update(chunk as Buffer);
        length += (chunk as Buffer).length;
      }
      expect(length).toBe(LARGE_BYTES);
      expect(received.digest('hex')).toBe(createHash('sha256').update(large).digest('hex'));
      // The file is read in stream-sized pieces, never into one buffer of its size.
      const sizes = [...allocUnsafe.mock.calls, ...allocUnsafeSlow.mock.calls].map(([size]) => size);
      expect(sizes.filter((size) => size >= LARGE_BYTES / 2)).toEqual([]);
    } finally {
      allocUnsafe.mockRestore();
      allocUnsafeSlow.mockRestore();
    }
  });

  it('answers HEAD with its length and no body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/v1/assets/images/large.pdf' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe(String(LARGE_BYTES));
    expect(response.rawPayload.length).toBe(0);
  });
});

describe('GET /v1/assets/{path} with Range', () => {
  const url = '/v1/assets/images/large.pdf';
  const ranged = (range: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { range, ...headers } });

  it('answers 206 with Content-Range and the bytes of bytes=a-b, bytes=a- and bytes=-n', async () => {
    for (const [range, start, end] of [
      ['bytes=0-9', 0, 9],
      ['bytes=1000-1999', 1000, 1999],
      [`bytes=${LARGE_BYTES - 3}-`, LARGE_BYTES - 3, LARGE_BYTES - 1],
      ['bytes=-5', LARGE_BYTES - 5, LARGE_BYTES - 1],
      [`bytes=10-${LARGE_BYTES + 100}`, 10, LARGE_BYTES - 1],
    ] as const) {
      const response = await ranged(range, { 'accept-encoding': 'gzip, br' });
      expect(response.statusCode, range).toBe(206);
      expect(response.headers['content-range'], range).toBe(`bytes ${start}-${end}/${LARGE_BYTES}`);
      expect(response.headers['content-length'], range).toBe(String(end - start + 1));
      expect(response.headers['content-encoding'], range).toBeUndefined();
      expect(response.rawPayload.equals(large.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('answers 416 with the size in Content-Range to a range past the end', async () => {
    for (const range of [`bytes=${LARGE_BYTES}-`, 'bytes=-0']) {
      const response = await ranged(range);
      expect(response.statusCode, range).toBe(416);
      expect(response.headers['content-range'], range).toBe(`bytes */${LARGE_BYTES}`);
      expect(response.headers['content-type'], range).toMatch(/^application\/problem\+json/);
    }
  });

  it('sends the whole file for several ranges, a malformed one, or an If-Range the file no longer matches', async () => {
    const etag = String((await app.inject(url)).headers.etag);
    for (const [range, headers] of [
      ['bytes=0-1,5-6', {}],
      ['bytes=9-2', {}],
      ['items=0-1', {}],
      ['bytes=0-1', { 'if-range': '"an-older-version"' }],
    ] as const) {
      const response = await ranged(range, headers);
      expect(response.statusCode, range).toBe(200);
      expect(response.rawPayload.length, range).toBe(LARGE_BYTES);
    }
    expect((await ranged('bytes=0-1', { 'if-range': etag })).statusCode).toBe(206);
  });
});

describe("GET /v1/assets/{path}: the site's exclude", () => {
  it('serves no file the site leaves out, by folder, by name, by a name it begins with or by a glob at any depth, and every other file', async () => {
    const site = await mkdtemp(path.join(tmpdir(), 'asset-exclude-'));
    try {
      await writeFile(path.join(site, '_config.yml'), 'title: Excluding\nexclude:\n  - private/\n  - Gemfile\n  - "*.csv"\n');
      await writeFile(path.join(site, 'index.md'), '---\ntitle: Home\n---\n\nHome.\n');
      for (const folder of ['private/deeper', 'public', 'data/old']) await mkdir(path.join(site, folder), { recursive: true });
      for (const file of [
        'private/secret.txt',
        'private/deeper/plan.pdf',
        'Gemfile.lock',
        'export.csv',
        'data/old/table.csv',
        'public/notes.txt',
      ])
        await writeFile(path.join(site, file), `the contents of ${file}\n`);
      await writeFile(path.join(site, 'private/page.md'), '---\ntitle: Private page\n---\n\nNot published.\n');
      const excluding = await buildApp({ contentDir: site, images: { cacheDir: path.join(site, '.variants') } });
      try {
        // A glob's `*` crosses `/`, as Ruby's fnmatch does without FNM_PATHNAME: `*.csv` takes data/old/table.csv too.
        for (const file of ['private/secret.txt', 'private/deeper/plan.pdf', 'Gemfile.lock', 'export.csv', 'data/old/table.csv']) {
          const response = await excluding.inject(`/v1/assets/${file}`);
          expect(response.statusCode, file).toBe(404);
          expect(response.body, file).not.toContain('the contents of');
        }
        expect((await excluding.inject('/v1/assets/public/notes.txt')).body).toBe('the contents of public/notes.txt\n');
        // Pages too, as Jekyll builds them.
        expect((await excluding.inject('/v1/pages?limit=100')).json().items.map((page: { title: string }) => page.title)).toEqual(['Home']);
      } finally {
        await excluding.close();
      }
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });
});
