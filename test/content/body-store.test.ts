import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { createBodyStore } from '../../src/content/body-store.ts';
import { JSON_CONTENT_TYPE, representLazily } from '../../src/http/representation.ts';
import { copyOfBundledContent } from '../helpers/app.ts';

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const variants = { br: Buffer.from('brotli bytes'), gzip: Buffer.from('gzip bytes') };
const bodyFiles = async (cacheDir: string) => {
  const [folder] = (await readdir(cacheDir)).filter((name) => name.startsWith('bodies-'));
  return folder ? (await readdir(path.join(cacheDir, folder))).map((name) => path.join(cacheDir, folder, name)) : [];
};

describe('the body store', () => {
  it('gives back the variants it saved, across instances (a warm start)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bodies-'));
    const store = createBodyStore({ memoryBytes: 1024, dir, root: '/site' });
    await store.save('"abc"', variants);
    expect(store.saved('"abc"')).toBe(true);
    const again = createBodyStore({ memoryBytes: 1024, dir, root: '/site' });
    expect(await again.load('"abc"')).toEqual(variants);
    // Another content folder sharing the cache folder has its own bodies.
    expect(await createBodyStore({ memoryBytes: 1024, dir, root: '/other' }).load('"abc"')).toBeUndefined();
  });

  it('never serves a file it did not write: a changed one is deleted', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bodies-'));
    const store = createBodyStore({ memoryBytes: 1024, dir, root: '/site' });
    await store.save('"abc"', variants);
    const [file] = await bodyFiles(dir);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(file, bytes);
    expect(await store.load('"abc"')).toBeUndefined();
    expect(store.saved('"abc"')).toBe(false);
    expect(await bodyFiles(dir)).toEqual([]);
  });

  it('keeps only the bodies still served, and holds at most its bound in memory', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bodies-'));
    const store = createBodyStore({ memoryBytes: 1024, dir, root: '/site' });
    await store.save('"a"', variants);
    await store.save('"b"', variants);
    await store.sweep(new Set(['"b"']));
    expect([store.saved('"a"'), store.saved('"b"')]).toEqual([false, true]);
    expect(await bodyFiles(dir)).toHaveLength(1);
    for (let i = 0; i < 10; i++) store.set(`key${i}`, Buffer.alloc(300));
    expect([...Array(10).keys()].filter((i) => store.get(`key${i}`)).length).toBeLessThan(4);
  });

  it('keeps bodies compressed ahead of requests on the disk, not in memory, until a request asks for them', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bodies-'));
    const store = createBodyStore({ memoryBytes: 1024 * 1024, dir, root: '/site' });
    const json = JSON.stringify({ text: 'a page body '.repeat(500) });
    const representation = representLazily(() => json, JSON_CONTENT_TYPE, new Date(0), 'page', store);
    expect(await representation.precompress()).toBeGreaterThan(0);
    expect(store.saved(representation.etag)).toBe(true);
    // The memory is left to the bodies requests use: none of these was asked for yet.
    expect([store.get(`${representation.etag}:br`), store.get(`${representation.etag}:gzip`)]).toEqual([undefined, undefined]);
    const br = await representation.encoded('br');
    expect(brotliDecompressSync(br!).toString()).toBe(json);
    // Read back once, then answered from memory.
    expect(store.get(`${representation.etag}:br`)).toEqual(br);
    expect(gunzipSync(representation.encoded('gzip') as Buffer).toString()).toBe(json);
  });

  it('keeps them in memory when it has no folder to save them in', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bodies-'));
    const store = createBodyStore({ memoryBytes: 1024 * 1024, dir: null, root: '/site' });
    const json = JSON.stringify({ text: 'a page body '.repeat(500) });
    const representation = representLazily(() => json, JSON_CONTENT_TYPE, new Date(0), 'page', store);
    await representation.precompress();
    expect(store.saved(representation.etag)).toBe(false);
    expect(brotliDecompressSync(store.get(`${representation.etag}:br`)!).toString()).toBe(json);
    expect(gunzipSync(representation.encoded('gzip') as Buffer).toString()).toBe(json);
  });

  it('answers a body asked for again with one lookup: serialized once, written once, kept as the most recently used', () => {
    // Room for two of these bodies: a third pushes out the least recently used.
    const store = createBodyStore({ memoryBytes: 3 * 1024, dir: null, root: '/site' });
    const written: string[] = [];
    const counting = { ...store, set: (key: string, bytes: Buffer) => (written.push(key), store.set(key, bytes)) };
    const serialized: string[] = [];
    const page = (name: string) =>
      representLazily(() => (serialized.push(name), name.repeat(1000)), JSON_CONTENT_TYPE, new Date(0), name, counting);
    const [first, second, third] = [page('a'), page('b'), page('c')];

    for (let request = 0; request < 3; request += 1) expect(first.body.toString()).toBe('a'.repeat(1000));
    expect(serialized).toEqual(['a']);
    expect(written).toHaveLength(1);

    expect(second.body.length).toBe(1000);
    // Asked for again, the first is the most recently used: the third body pushes out the second.
    expect(first.body.length).toBe(1000);
    expect(third.body.length).toBe(1000);
    expect(first.body.length).toBe(1000);
    expect(second.body.length).toBe(1000);
    expect(serialized).toEqual(['a', 'b', 'c', 'b']);
  });

  it('serves a page compressed from the disk once it left memory, with the bytes a fresh start gives', async () => {
    const copy = await copyOfBundledContent('bodies-');
    dir = copy.work;
    const { cacheDir } = copy;
    const app = await buildApp({ contentDir: copy.dir, cacheDir, bodyCacheMaxBytes: 1, loadInBackground: false });
    try {
      await app.content.watching;
      // Precompressed in the background, onto the disk (a memory of one byte keeps nothing).
      const record = app.content.snapshot.published.bySlug.get('index')!;
      await record.json.precompress();
      expect((await bodyFiles(cacheDir)).length).toBeGreaterThan(0);
      const br = await app.inject({ url: '/v1/pages/index', headers: { 'accept-encoding': 'br' } });
      const gzip = await app.inject({ url: '/v1/pages/index', headers: { 'accept-encoding': 'gzip' } });
      const plain = await app.inject({ url: '/v1/pages/index' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
      expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    } finally {
      await app.close();
    }
  });
});
