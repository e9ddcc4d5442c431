import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AppOptions } from '../../src/app.ts';
import { buildApp } from '../../src/build-app.ts';
import { createContentLoader, loadContent } from '../../src/content/load.ts';
import { createPrecompressor } from '../../src/http/precompress.ts';
import { JSON_CONTENT_TYPE, representLazily } from '../../src/http/representation.ts';
import { bundledContent, copyOfBundledContent } from '../helpers/app.ts';
import { bodyFiles } from '../helpers/cache-folder.ts';

describe('precompressing page bodies when content loads', () => {
  it('gives every published page brotli and gzip bodies that decode to its bytes', async () => {
    const snapshot = await loadContent(bundledContent);
    const result = await createPrecompressor(Number.POSITIVE_INFINITY).run(snapshot);
    expect(result).toMatchObject({ pages: snapshot.published.pages.length, outcome: 'all' });
    for (const record of snapshot.published.pages) {
      for (const representation of [record.json, record.html]) {
        if (representation.body.length < 1024) continue;
        expect(brotliDecompressSync(representation.encoded('br') as Buffer)).toEqual(representation.body);
        expect(gunzipSync(representation.encoded('gzip') as Buffer)).toEqual(representation.body);
      }
    }
  });

  it('keeps only the compressed bodies: the plain one is serialized again if an identity request comes', async () => {
    const json = JSON.stringify({ text: 'a page body '.repeat(500) });
    let serialized = 0;
    const representation = representLazily(() => (serialized++, json), JSON_CONTENT_TYPE, new Date(0), 'identity');
    const held = await representation.precompress();
    expect(held).toBe((representation.encoded('br') as Buffer).length + (representation.encoded('gzip') as Buffer).length);
    expect(held).toBeLessThan(json.length / 10);
    // Answering br, gzip or a length needs no serializing.
    expect(representation.size).toBe(Buffer.byteLength(json));
    expect(serialized).toBe(1);
    expect(representation.body.toString()).toBe(json);
    expect(serialized).toBe(2);
    expect(gunzipSync(representation.encoded('gzip') as Buffer).toString()).toBe(json);
  });

  it('keeps the compressed bodies of unchanged pages from one version to the next', async () => {
    const { work, dir } = await copyOfBundledContent('precompress-');
    try {
      const loader = createContentLoader(dir);
      const before = await loader.load();
      await createPrecompressor(Number.POSITIVE_INFINITY).run(before);
      await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nEdited.\n');
      const after = await loader.load(['resources.md']);
      const kept = after.published.bySlug.get('index')!;
      expect(kept.json).toBe(before.published.bySlug.get('index')!.json);
      expect(kept.json.encoded('br')).toBe(before.published.bySlug.get('index')!.json.encoded('br'));
      expect(after.published.bySlug.get('resources')!.json).not.toBe(before.published.bySlug.get('resources')!.json);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('passes over a page already done without serializing it again (every load of a new version walks them all)', async () => {
    let serialized = 0;
    const big = representLazily(() => (serialized++, 'x'.repeat(5000)), JSON_CONTENT_TYPE, new Date(0), 'big');
    const small = representLazily(() => (serialized++, '{}'), JSON_CONTENT_TYPE, new Date(0), 'small');
    const first = [await big.precompress(), await small.precompress()];
    expect(serialized).toBe(2);
    expect([await big.precompress(), await small.precompress()]).toEqual(first);
    expect(serialized).toBe(2);
  });

  it('stops at its memory budget, and when a newer version arrives', async () => {
    const snapshot = await loadContent(bundledContent);
    expect(await createPrecompressor(1).run(snapshot)).toMatchObject({ pages: 0, outcome: 'budget' });
    const precompressor = createPrecompressor(Number.POSITIVE_INFINITY);
    const next = await loadContent(bundledContent);
    const older = precompressor.run(snapshot);
    const newer = precompressor.run(next);
    expect((await older).outcome).toBe('interrupted');
    expect((await newer).outcome).toBe('all');
  });

  it('with a budget, runs by itself after the service starts, keeps the bodies in the cache folder and says so in the log', async () => {
    await withSettledService({ precompressMaxBytes: 128 * 1024 * 1024 }, async ({ app, lines, cacheDir }) => {
      const done = lines.find((line) => line.msg === 'page bodies precompressed');
      expect(done).toMatchObject({ pages: app.content.snapshot.published.pages.length, outcome: 'all' });
      expect(await bodyFiles(cacheDir)).toBeGreaterThan(0);
    });
  });

  it('by default compresses nothing ahead: a page body is compressed on its first request', async () => {
    await withSettledService({}, async ({ app, lines, cacheDir }) => {
      expect(lines.find((line) => line.msg === 'page bodies precompressed')).toBeUndefined();
      expect(await bodyFiles(cacheDir)).toBe(0);
      const plain = await app.inject({ url: '/v1/pages/index' });
      const br = await app.inject({ url: '/v1/pages/index', headers: { 'accept-encoding': 'br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    });
  });
});

/**
 * The service on the bundled content with a render cache folder of its own and a body store,
 * once its background work is done: `check` gets it, its log lines and the folder; both are
 * closed and removed after, whatever `check` threw.
 */
async function withSettledService(
  options: Pick<AppOptions, 'precompressMaxBytes'>,
  check: (service: { app: Awaited<ReturnType<typeof buildApp>>; lines: Record<string, unknown>[]; cacheDir: string }) => Promise<void>,
): Promise<void> {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => done(void lines.push(JSON.parse(String(chunk)))) });
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'precompress-'));
  try {
    const app = await buildApp(
      { contentDir: bundledContent, cacheDir, bodyCacheMaxBytes: 1024 * 1024, ...options },
      { logger: { level: 'info', stream } },
    );
    try {
      await app.backgroundSettled();
      await check({ app, lines, cacheDir });
    } finally {
      await app.close();
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}
