import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import type { AppOptions } from '../../src/app.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';
import { fixture } from '../helpers/app.ts';

const site = fixture('image-variants');
let cacheDir: string;
let app: FastifyInstance;

async function appWith(images: AppOptions['images'] = {}) {
  return checkedAgainstContract(await buildApp({ contentDir: site, images: { cacheDir, ...images } }));
}

beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'asset-variants-'));
  app = await appWith();
});
afterAll(async () => {
  await app?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('GET /v1/assets/{path} with w and format', () => {
  it('refuses an unknown parameter, a format not offered and a width out of range with 400 problem+json naming it', async () => {
    for (const [query, name, reason] of [
      ['size=100', 'size', 'is not a parameter of this route (it takes w, format)'],
      ['format=gif', 'format', 'must be one of webp, avif, jpeg, png'],
      ['w=8', 'w', 'must be at least 16'],
      ['w=5000', 'w', 'must be at most 4096'],
      ['w=1.5', 'w', 'must be a whole number of pixels from 16 to 4096'],
    ]) {
      const response = await app.inject(`/v1/assets/images/photo.jpg?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type'], query).toMatch(/^application\/problem\+json/);
      expect(response.json().invalid_params, query).toEqual([{ in: 'query', name, reason }]);
    }
  });

  it('answers 400 for w or format on a file no variant is made of (SVG, PDF), and still serves the file itself', async () => {
    const svg = await app.inject('/v1/assets/images/logo.svg?w=32');
    expect(svg.statusCode).toBe(400);
    expect(svg.json().detail).toBe(
      'No variant is made of "images/logo.svg" (image/svg+xml): w applies to PNG, JPEG, WebP, AVIF, GIF and TIFF images only. Ask for the file without it.',
    );
    const pdf = await app.inject('/v1/assets/images/guide.pdf?w=100&format=png');
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json().invalid_params.map((param: { name: string }) => param.name)).toEqual(['w', 'format']);
    expect((await app.inject('/v1/assets/images/logo.svg')).statusCode).toBe(200);
    expect((await app.inject('/v1/assets/images/guide.pdf')).statusCode).toBe(200);
  });

  it("answers 406 naming the variant's own type to an Accept header that does not admit it", async () => {
    const response = await app.inject({ url: '/v1/assets/images/photo.jpg?format=webp', headers: { accept: 'image/jpeg' } });
    expect(response.statusCode).toBe(406);
    expect(response.json().detail).toBe('This resource is available as image/webp; the Accept header admits none of them.');
  });

  it('answers 404 for a variant of an image that is not there', async () => {
    expect((await app.inject('/v1/assets/images/missing.png?w=100')).statusCode).toBe(404);
  });

  it('measures w on the image as it is shown: EXIF orientation applied, and left out of the variant', async () => {
    const response = await app.inject('/v1/assets/images/rotated.jpg?w=100');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    const metadata = await sharp(response.rawPayload).metadata();
    expect([metadata.width, metadata.height, metadata.orientation]).toEqual([100, 200, undefined]);
  });

  it('never enlarges: a w wider than the image gives it at its own width, under the same ETag', async () => {
    const wide = await app.inject('/v1/assets/images/photo.jpg?w=4096&format=webp');
    const own = await app.inject('/v1/assets/images/photo.jpg?w=1000&format=webp');
    expect(wide.statusCode).toBe(200);
    expect((await sharp(wide.rawPayload).metadata()).width).toBe(1000);
    expect(wide.headers.etag).toBe(own.headers.etag);
    expect(wide.rawPayload.equals(own.rawPayload)).toBe(true);
  });

  it('keeps the format of a PNG, JPEG, WebP or AVIF without `format`, and makes a PNG of a GIF', async () => {
    for (const [file, type, format] of [
      ['small.avif', 'image/avif', 'heif'],
      ['small.gif', 'image/png', 'png'],
      ['photo.jpg', 'image/jpeg', 'jpeg'],
    ]) {
      const response = await app.inject(`/v1/assets/images/${file}?w=30`);
      expect(response.statusCode, file).toBe(200);
      expect(response.headers['content-type'], file).toBe(type);
      const metadata = await sharp(response.rawPayload).metadata();
      expect([metadata.format, metadata.width], file).toEqual([format, 30]);
    }
  });

  it('judges an image by its bytes, not its name: an SVG named .png is 422, never rasterized', async () => {
    const response = await app.inject('/v1/assets/images/disguised.png?w=32');
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toBe(
      'No variant can be made of "images/disguised.png": its bytes are not a PNG, JPEG, WebP, AVIF, GIF or TIFF image, whatever its name says.',
    );
  });

  it('answers 422 for a decompression bomb and a damaged image, before decoding a pixel of the bomb', async () => {
    const bomb = await app.inject('/v1/assets/images/bomb.png?w=100');
    expect(bomb.statusCode).toBe(422);
    expect(bomb.json().detail).toBe(
      'No variant can be made of "images/bomb.png": it is 30000×30000 pixels (900 megapixels); variants are made of images of at most 50 megapixels (IMAGE_MAX_MEGAPIXELS).',
    );
    const damaged = await app.inject('/v1/assets/images/damaged.png?format=webp');
    expect(damaged.statusCode).toBe(422);
    expect(damaged.json().detail).toMatch(/^No variant can be made of "images\/damaged.png": it could not be/);
    expect(damaged.headers.etag).toBeUndefined();
  });
});

describe('image variants without sharp', () => {
  it('answers variant requests 501 problem+json, and still serves every file as it is', async () => {
    const without = await appWith({
      importSharp: () => Promise.reject(new Error('Could not load the "sharp" module using the linux-x64 runtime')),
    });
    try {
      const variant = await without.inject('/v1/assets/images/photo.jpg?w=200');
      expect(variant.statusCode).toBe(501);
      expect(variant.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(variant.json().detail).toBe(
        'Image variants (w, format) are not available on this server: its image library (sharp) could not be loaded. Ask for the file without them.',
      );
      const original = await without.inject('/v1/assets/images/photo.jpg');
      expect(original.statusCode).toBe(200);
      expect(original.headers['content-type']).toBe('image/jpeg');
    } finally {
      await without.close();
    }
  });
});
