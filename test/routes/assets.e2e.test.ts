import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import realSharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import type { AppOptions } from '../../src/app.ts';
import type { Sharp } from '../../src/assets/sharp-loader.ts';
import { Contract } from '../helpers/contract.ts';
import { fixture } from '../helpers/app.ts';
import { until } from '../helpers/poll.ts';

const site = fixture('image-variants');
const photo = '/v1/assets/images/photo.jpg';

/** The service on a real port, each response checked against the OpenAPI document it serves. */
async function serve(images: AppOptions['images']) {
  const app = await buildApp({ contentDir: site, images });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const contract = await Contract.served((options) => app.inject(options));
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(base + url, { headers });
    const body = Buffer.from(await response.arrayBuffer());
    contract.check({ method: 'GET', url, status: response.status, headers: Object.fromEntries(response.headers), body });
    return { status: response.status, headers: response.headers, body };
  };
  return { app, get };
}

/** The variant files of a cache folder (its key file aside), with their sizes. */
async function cachedFiles(dir: string): Promise<Map<string, number>> {
  const names = (await readdir(dir).catch(() => [])).filter((name) => name !== 'pack.key' && !name.endsWith('.tmp'));
  const sizes = await Promise.all(names.map(async (name) => (await stat(path.join(dir, name)).catch(() => null))?.size ?? 0));
  return new Map(names.map((name, index) => [name, sizes[index]]));
}

/** sharp, with each instance it makes changed by `patch` first (to hold or refuse its encodes). */
function patchedSharp(patch: (instance: ReturnType<Sharp>) => void): Sharp {
  const make = (...args: Parameters<Sharp>) => {
    const instance = realSharp(...args);
    patch(instance);
    return instance;
  };
  return Object.assign(make, realSharp);
}

/** A variant's file in the cache folder: its name begins with the variant's ETag. */
const fileOf = (etag: string | null) => String(etag).replaceAll('"', '');

let cacheDir: string;
let app: FastifyInstance | undefined;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'asset-variants-e2e-'));
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('image variants over a real socket', () => {
  it('serves a resized WebP of the width asked for, the height following, as image/webp with the caching of the file', async () => {
    const served = await serve({ cacheDir: path.join(cacheDir, 'resize') });
    app = served.app;
    const response = await served.get(`${photo}?w=320&format=webp`, { accept: 'image/avif,image/webp,image/*,*/*;q=0.8' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400, stale-while-revalidate=604800');
    const metadata = await realSharp(response.body).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', 320, 240]);
    // Its own ETag: not the file's.
    const original = await served.get(photo);
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(response.headers.get('etag')).not.toBe(original.headers.get('etag'));
    const avif = await served.get(`${photo}?w=200&format=avif`);
    expect(avif.headers.get('content-type')).toBe('image/avif');
    expect((await realSharp(avif.body).metadata()).width).toBe(200);
  });

  it('refuses an unknown format and a width past 4096 with 400 problem+json', async () => {
    const served = await serve({ cacheDir: path.join(cacheDir, 'refused') });
    app = served.app;
    const format = await served.get(`${photo}?format=bmp`);
    expect(format.status).toBe(400);
    expect(JSON.parse(format.body.toString()).invalid_params).toEqual([
      { in: 'query', name: 'format', reason: 'must be one of webp, avif, jpeg, png' },
    ]);
    expect((await served.get(`${photo}?w=4097`)).status).toBe(400);
  });

  it('serves a variant again from the disk cache: the same bytes and ETag, and 304 for If-None-Match', async () => {
    const dir = path.join(cacheDir, 'hits');
    const first = await serve({ cacheDir: dir });
    app = first.app;
    const made = await first.get(`${photo}?w=500&format=webp`);
    const etag = made.headers.get('etag')!;
    expect([...(await cachedFiles(dir)).keys()]).toEqual([expect.stringMatching(new RegExp(`^${fileOf(etag)}`))]);
    await app.close();
    // A new process over the same folder: the variant is read back, not encoded again (a sharp that cannot encode proves it).
    const noEncoding = patchedSharp((instance) => {
      instance.toBuffer = (() => Promise.reject(new Error('encoded again'))) as unknown as typeof instance.toBuffer;
    });
    const second = await serve({ cacheDir: dir, importSharp: async () => noEncoding });
    app = second.app;
    const again = await second.get(`${photo}?w=500&format=webp`);
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.body.equals(made.body)).toBe(true);
    const notModified = await second.get(`${photo}?w=500&format=webp`, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.body.length).toBe(0);
  });

  it('refuses a decompression bomb with 422 problem+json and goes on serving', async () => {
    const served = await serve({ cacheDir: path.join(cacheDir, 'bomb') });
    app = served.app;
    const bomb = await served.get('/v1/assets/images/bomb.png?w=64&format=webp');
    expect(bomb.status).toBe(422);
    expect(JSON.parse(bomb.body.toString()).detail).toContain('30000×30000 pixels (900 megapixels)');
    expect((await served.get('/v1/assets/images/bomb.png')).status).toBe(200);
    expect((await served.get(`${photo}?w=64`)).status).toBe(200);
  });

  it('keeps the disk cache within its bound, deleting the least recently used variants', async () => {
    const dir = path.join(cacheDir, 'bounded');
    const maxBytes = 3_000;
    const served = await serve({ cacheDir: dir, cacheMaxBytes: maxBytes });
    app = served.app;
    const etags: string[] = [];
    for (const width of [400, 300, 250, 200, 150, 100]) {
      const response = await served.get(`${photo}?w=${width}&format=webp`);
      expect(response.status).toBe(200);
      // Each fits the bound alone; together they do not.
      expect(response.body.length).toBeLessThan(maxBytes - 100);
      etags.push(response.headers.get('etag')!);
    }
    const files = await until(async () => {
      const found = await cachedFiles(dir);
      return [...found.values()].reduce((sum, size) => sum + size, 0) <= maxBytes && found;
    }, 'the cache to shrink within its bound');
    const kept = (etag: string) => [...files.keys()].some((name) => name.startsWith(fileOf(etag)));
    expect(kept(etags[0])).toBe(false);
    expect(kept(etags.at(-1)!)).toBe(true);
  });

  it('encodes at most IMAGE_ENCODES at once with a short queue, and answers 503 with Retry-After beyond it', async () => {
    // A sharp whose encodes, once the gate is set, wait for the test to let them go; it counts the headers it has read.
    let gate: Promise<void> | undefined = undefined;
    let release!: () => void;
    let headersRead = 0;
    const gated = patchedSharp((instance) => {
      const toBuffer = instance.toBuffer.bind(instance) as () => Promise<Buffer>;
      const metadata = instance.metadata.bind(instance);
      instance.toBuffer = (async () => {
        await gate;
        return toBuffer();
      }) as unknown as typeof instance.toBuffer;
      instance.metadata = (async () => {
        const found = await metadata();
        headersRead++;
        return found;
      }) as typeof instance.metadata;
    });
    const served = await serve({ cacheDir: path.join(cacheDir, 'queue'), encodes: 1, maxWaiting: 1, importSharp: async () => gated });
    app = served.app;
    // A first variant opens the disk cache: from then on, a request is in the queue in the same turn its header is read.
    expect((await served.get(`${photo}?w=100`)).status).toBe(200);
    gate = new Promise<void>((resolve) => (release = resolve));
    headersRead = 0;
    // One encoding, one waiting.
    const encoding = served.get(`${photo}?w=101`);
    await until(() => headersRead === 1, 'the first header');
    const waiting = served.get(`${photo}?w=102`);
    await until(() => headersRead === 2, 'the second header');
    const refused = await served.get(`${photo}?w=103`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(JSON.parse(refused.body.toString()).detail).toMatch(/^Too many new image variants are being made right now/);
    // The file as it is is still served meanwhile.
    expect((await served.get(photo)).status).toBe(200);
    release();
    expect((await Promise.all([encoding, waiting])).map((response) => response.status)).toEqual([200, 200]);
  });
});
