import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { createBodyStore } from '../../src/content/body-store.ts';
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
