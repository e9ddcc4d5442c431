import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVariantStore } from '../../src/assets/variant-store.ts';
import { until } from '../helpers/poll.ts';

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A variant's name, as image-variants.ts makes them (base64url of a SHA-256). */
const nameOf = (label: string) => createHash('sha256').update(label).digest('base64url');
/** The variant files in the folder (the key file aside). */
const variantFiles = async () => (await readdir(dir)).filter((name) => name !== 'pack.key').sort();
const folderBytes = async () => {
  let total = 0;
  for (const name of await variantFiles()) total += (await stat(path.join(dir, name))).size;
  return total;
};

describe('the image variant store', () => {
  it('gives back what it stored, across instances (a restart)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'variants-'));
    const image = Buffer.from('webp bytes');
    await createVariantStore({ dir, maxBytes: 10_000 }).put(nameOf('a'), image);
    const again = createVariantStore({ dir, maxBytes: 10_000 });
    expect(await again.get(nameOf('a'))).toEqual(image);
    expect(await again.get(nameOf('b'))).toBeUndefined();
  });

  it('holds at most its bound on disk, deleting the least recently used files first', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'variants-'));
    // Room for two 400-byte variants (each with its 40-byte header), not three.
    const store = createVariantStore({ dir, maxBytes: 1_000 });
    await store.put(nameOf('a'), Buffer.alloc(400, 1));
    await store.put(nameOf('b'), Buffer.alloc(400, 2));
    // Reading a makes b the least recently used.
    expect(await store.get(nameOf('a'))).toBeDefined();
    await store.put(nameOf('c'), Buffer.alloc(400, 3));
    expect(store.names().sort()).toEqual([nameOf('a'), nameOf('c')].sort());
    await until(async () => !(await variantFiles()).includes(nameOf('b')), 'the evicted file to be deleted');
    expect(await folderBytes()).toBeLessThanOrEqual(1_000);
    // A variant larger than the whole bound is not kept at all.
    await store.put(nameOf('huge'), Buffer.alloc(2_000));
    expect(await variantFiles()).not.toContain(nameOf('huge'));
  });

  it('keeps its bound across a restart with a smaller bound, deleting the oldest files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'variants-'));
    const first = createVariantStore({ dir, maxBytes: 10_000 });
    for (const label of ['a', 'b', 'c']) await first.put(nameOf(label), Buffer.alloc(400));
    // Written in order, a second apart as far as the folder can tell.
    for (const [index, label] of ['a', 'b', 'c'].entries()) {
      const when = new Date(Date.now() - (3 - index) * 1000);
      await utimes(path.join(dir, nameOf(label)), when, when);
    }
    const smaller = createVariantStore({ dir, maxBytes: 1_000 });
    expect(await smaller.get(nameOf('c'))).toBeDefined();
    expect(await smaller.get(nameOf('a'))).toBeUndefined();
    await until(async () => (await variantFiles()).length === 2, 'the oldest file to be deleted');
    expect(await variantFiles()).toEqual([nameOf('b'), nameOf('c')].sort());
  });

  it('never serves a file it did not write: a changed one is deleted', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'variants-'));
    const store = createVariantStore({ dir, maxBytes: 10_000 });
    await store.put(nameOf('a'), Buffer.from('the real image'));
    const file = path.join(dir, nameOf('a'));
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(file, bytes);
    expect(await store.get(nameOf('a'))).toBeUndefined();
    await until(async () => !(await variantFiles()).includes(nameOf('a')), 'the changed file to be deleted');
  });

  it('stores nothing in a folder others may write, and nothing at all with a bound of 0', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'variants-'));
    await chmod(dir, 0o777);
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning.code ?? '');
    process.on('warning', onWarning);
    try {
      const store = createVariantStore({ dir, maxBytes: 10_000 });
      await store.put(nameOf('a'), Buffer.from('image'));
      expect(await store.get(nameOf('a'))).toBeUndefined();
      await until(() => warnings.includes('IMAGE_CACHE_UNSAFE'), 'the warning');
    } finally {
      process.off('warning', onWarning);
    }
    expect(await readdir(dir)).toEqual([]);
    await chmod(dir, 0o700);
    const off = createVariantStore({ dir, maxBytes: 0 });
    await off.put(nameOf('a'), Buffer.from('image'));
    expect(await readdir(dir)).toEqual([]);
  });
});
