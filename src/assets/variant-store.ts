import { createHmac, timingSafeEqual } from 'node:crypto';
import { lstat, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { loadPackKey, type CacheFolderRole } from '../content/pack-key.ts';
import { readCacheFile } from '../content/cache-file.ts';

/** Image variants on disk, by name (a variant's key). Disk errors only make a variant encoded again: nothing here throws. */
export interface VariantStore {
  /** The variant's bytes, if stored and authentic (touching it as most recently used). */
  get(name: string): Promise<Buffer | undefined>;
  /** Stores the variant (when it fits the bound), deleting the least recently used beyond it. */
  put(name: string, bytes: Buffer): Promise<void>;
  /** Names stored now, least recently used first (for tests and logs). */
  names(): string[];
}

/** File format: magic, HMAC-SHA256 of the name and the image, the image. */
const MAGIC = Buffer.from('CAPIIV1\n');
const HEADER_BYTES = MAGIC.length + 32;
/** A variant's name: its key, base64url of a SHA-256. */
const NAME = /^[A-Za-z0-9_-]{43}$/;

const IMAGE_CACHE_ROLE: CacheFolderRole = {
  name: 'image cache',
  setting: 'IMAGE_CACHE_DIR',
  without: 'Image variants are encoded again for every request.',
  code: 'IMAGE_CACHE_UNSAFE',
};

/**
 * A folder of image variants bounded by `maxBytes`, least recently used deleted first (lru-cache
 * holds each file's size; evicting an entry deletes its file). At start the folder is listed, and
 * what an earlier run left is taken in, oldest written first, so the bound holds across restarts.
 * The folder is untrusted as the render cache's is: each file carries an HMAC-SHA256 of its name
 * and bytes under the folder's per-install key (pack-key.ts), and one that fails it is deleted,
 * never served; files are written aside and renamed into place, never read half-written.
 */
export function createVariantStore(options: { dir: string; maxBytes: number }): VariantStore {
  const { dir, maxBytes } = options;
  if (maxBytes <= 0) return { get: async () => undefined, put: async () => undefined, names: () => [] };
  const files = new LRUCache<string, number>({
    maxSize: maxBytes,
    sizeCalculation: (size) => Math.max(1, size),
    dispose: (_size, name, reason) => {
      if (reason === 'evict' || reason === 'delete') void rm(path.join(dir, name), { force: true }).catch(() => undefined);
    },
  });
  const ready = loadPackKey(dir, IMAGE_CACHE_ROLE)
    .then(async (key) => {
      if (!key) return null;
      await takeInEarlierFiles(dir, files);
      return key;
    })
    .catch(() => null);
  let written = 0;
  const macOf = (key: Buffer, name: string, image: Buffer) => createHmac('sha256', key).update(`${name}\0`).update(image).digest();

  return {
    async get(name) {
      const key = await ready;
      if (!key || !NAME.test(name) || files.get(name) === undefined) return undefined;
      const bytes = await readCacheFile(path.join(dir, name), maxBytes);
      if (bytes && bytes.length >= HEADER_BYTES && bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
        const image = bytes.subarray(HEADER_BYTES);
        if (timingSafeEqual(bytes.subarray(MAGIC.length, HEADER_BYTES), macOf(key, name, image))) return image;
      }
      // Gone, damaged or not written by this install: deleted, and encoded again by the caller.
      files.delete(name);
      return undefined;
    },
    async put(name, image) {
      const key = await ready;
      if (!key || !NAME.test(name) || HEADER_BYTES + image.length > maxBytes) return;
      const file = path.join(dir, name);
      const temporary = `${file}.${process.pid}-${written++}.tmp`;
      const header = Buffer.alloc(HEADER_BYTES);
      MAGIC.copy(header);
      macOf(key, name, image).copy(header, MAGIC.length);
      try {
        await writeFile(temporary, Buffer.concat([header, image]), { mode: 0o600, flag: 'wx' });
        await rename(temporary, file);
        files.set(name, HEADER_BYTES + image.length);
      } catch {
        await rm(temporary, { force: true }).catch(() => undefined);
      }
    },
    names: () => [...files.rkeys()],
  };
}

/** Takes in the variants an earlier run left (oldest first, so they are evicted first); deletes writes cut short. */
async function takeInEarlierFiles(dir: string, files: LRUCache<string, number>): Promise<void> {
  const found: { name: string; size: number; modified: number }[] = [];
  const maxBytes = files.maxSize;
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    if (name.endsWith('.tmp')) await rm(file, { force: true }).catch(() => undefined);
    if (!NAME.test(name)) continue;
    const info = await lstat(file).catch(() => null);
    if (!info?.isFile()) continue;
    // Larger than the whole bound (IMAGE_CACHE_MB was lowered): never kept, so never left behind either.
    if (info.size > maxBytes) await rm(file, { force: true }).catch(() => undefined);
    else found.push({ name, size: info.size, modified: info.mtimeMs });
  }
  found.sort((a, b) => a.modified - b.modified);
  for (const { name, size } of found) files.set(name, size);
}
