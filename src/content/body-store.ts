import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { BodyStore, Variants } from '../model/representation.ts';
import { loadPackKey } from './pack-key.ts';
import { readCacheFile } from './cache-file.ts';

/** File format: magic, brotli length (u32 LE), gzip length (u32 LE), HMAC-SHA256, brotli bytes, gzip bytes. */
const MAGIC = Buffer.from('CAPIBD1\n');
const HEADER_BYTES = MAGIC.length + 4 + 4 + 32;
/** The largest file read back: a page is at most 1 MB of source, its compressed bodies far less. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Where page bodies live between requests (see representLazily): at most `memoryBytes` of the
 * most recently used in memory and, when `dir` (the render cache folder) is given, every page's
 * brotli and gzip variants on disk, so that a warm start compresses nothing again and a page
 * nobody asked for lately costs a file read, not memory. They are in
 * `dir/bodies-<content folder hash>/`, one file per representation named by its ETag. The folder
 * is untrusted as the warm-start pack's is: each file carries an HMAC-SHA256 of its name and
 * bytes under the pack key, and a file that fails it is deleted, never served. Disk errors only
 * make a body compressed again: nothing here throws.
 */
export function createBodyStore(options: { memoryBytes: number; dir?: string | null; root: string }): BodyStore {
  const memory = new LRUCache<string, Buffer>({ maxSize: Math.max(1, options.memoryBytes), sizeCalculation: (bytes, key) => bytes.length + key.length + 64 });
  // One folder per content folder, as packs are named per content folder: two services sharing a
  // cache folder never delete each other's bodies.
  const folder = options.dir ? path.join(options.dir, `bodies-${createHash('sha256').update(path.resolve(options.root)).digest('hex').slice(0, 16)}`) : null;
  const saved = new Set<string>();
  const ready = folder
    ? loadPackKey(options.dir!).then(async (key) => {
        if (!key) return null;
        await mkdir(folder, { recursive: true, mode: 0o700 });
        for (const name of await readdir(folder)) {
          if (/^[\w-]+$/.test(name)) saved.add(name);
          // Left by a write cut short (a crash): never renamed into place, so never read.
          else if (name.endsWith('.tmp')) await rm(path.join(folder, name), { force: true }).catch(() => undefined);
        }
        return key;
      }).catch(() => null)
    : Promise.resolve(null);
  const nameOf = (etag: string) => etag.replaceAll('"', '');
  const saves = new Map<string, Promise<void>>();
  let written = 0;
  const write = async (name: string, { br, gzip }: Variants) => {
    const key = await ready;
    if (!key || !folder || saved.has(name)) return;
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header);
    header.writeUInt32LE(br.length, MAGIC.length);
    header.writeUInt32LE(gzip.length, MAGIC.length + 4);
    macOf(key, name, br, gzip).copy(header, MAGIC.length + 8);
    const file = path.join(folder, name);
    const temporary = `${file}.${process.pid}-${written++}.tmp`;
    try {
      await writeFile(temporary, Buffer.concat([header, br, gzip]), { mode: 0o600, flag: 'wx' });
      await rename(temporary, file);
      saved.add(name);
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  };
  const remove = async (names: string[]) => {
    if (!(await ready) || !folder) return;
    for (const name of names) {
      saved.delete(name);
      await rm(path.join(folder, name), { force: true }).catch(() => undefined);
    }
  };
  const macOf = (key: Buffer, name: string, br: Buffer, gzip: Buffer) => createHmac('sha256', key).update(`${name}\0${br.length}\0${gzip.length}\0`).update(br).update(gzip).digest();

  return {
    ready: ready.then(() => undefined),
    get: (key) => (options.memoryBytes > 0 ? memory.get(key) : undefined),
    set(key, bytes) {
      if (options.memoryBytes > 0) memory.set(key, bytes);
    },
    saved: (etag) => saved.has(nameOf(etag)),
    save(etag, variants) {
      const name = nameOf(etag);
      // One write per body however many ask at once (a request compressing while the precompressor does).
      let saving = saves.get(name);
      if (!saving) {
        saving = write(name, variants).finally(() => saves.delete(name));
        saves.set(name, saving);
      }
      return saving;
    },
    async load(etag) {
      const key = await ready;
      const name = nameOf(etag);
      if (!key || !folder || !saved.has(name)) return undefined;
      const file = path.join(folder, name);
      const bytes = await readCacheFile(file, MAX_FILE_BYTES);
      if (bytes && bytes.length >= HEADER_BYTES && bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
        const brLength = bytes.readUInt32LE(MAGIC.length);
        const gzipLength = bytes.readUInt32LE(MAGIC.length + 4);
        if (HEADER_BYTES + brLength + gzipLength === bytes.length) {
          const br = bytes.subarray(HEADER_BYTES, HEADER_BYTES + brLength);
          const gzip = bytes.subarray(HEADER_BYTES + brLength);
          if (timingSafeEqual(bytes.subarray(MAGIC.length + 8, HEADER_BYTES), macOf(key, name, br, gzip))) return { br, gzip };
        }
      }
      // Missing, or not what this install wrote: compressed again (and saved again) instead.
      saved.delete(name);
      await rm(file, { force: true }).catch(() => undefined);
      return undefined;
    },
    async sweep(live) {
      // Once the folder has been listed: what an earlier run saved is swept too.
      await ready;
      const keep = new Set([...live].map(nameOf));
      await remove([...saved].filter((name) => !keep.has(name)));
    },
    forget: (etags) => remove([...etags].map(nameOf).filter((name) => saved.has(name))),
  };
}
