import { createHash, createHmac, timingSafeEqual, webcrypto } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { writeCacheFileAside } from './cache-file.ts';
import { loadPackKey } from './pack-key.ts';

/**
 * A cache of work done on content, keyed by a hash of everything the work depends on (source
 * text, renderer version, site settings), so an entry can never be stale: different inputs give
 * a different key. It lives in memory for live reloads; {@link createWarmStartPack} saves it to
 * disk for warm starts.
 */
export interface WorkCache<T> {
  /** The entry for `key`, if any. */
  peek(key: string): T | undefined;
  set(key: string, value: T): void;
  /** Forgets entries neither used since the last sweep nor named in `keep`. */
  sweep(keep?: Iterable<string>): void;
  /** Forgets one entry at once (a live edit replaced it; no other file can use its key). */
  forget(key: string): void;
  /** The entries in use, for the warm-start pack. */
  entries(): [string, T][];
  /**
   * Adds entries read from the warm-start pack: a chunk's, in an array read by index. A start runs
   * these loops once, before V8 optimizes them, and a for-of that destructures each entry costs
   * an iterator and a result object for each value there (some 5 ms for 10,000 entries of 11
   * values, against 1.5 ms by index).
   */
  prime(entries: readonly (readonly [string, T])[]): void;
}

export function createWorkCache<T>(): WorkCache<T> {
  const memory = new Map<string, T>();
  let used = new Set<string>();
  return {
    peek(key) {
      const hit = memory.get(key);
      if (hit !== undefined) used.add(key);
      return hit;
    },
    set(key, value) {
      used.add(key);
      memory.set(key, value);
    },
    sweep(keep = []) {
      for (const key of keep) used.add(key);
      // Deleting the few unused entries in place is cheaper than copying the many used ones.
      for (const key of memory.keys()) if (!used.has(key)) memory.delete(key);
      used = new Set();
    },
    forget(key) {
      memory.delete(key);
      used.delete(key);
    },
    entries() {
      return [...memory];
    },
    prime(entries) {
      for (let at = 0; at < entries.length; at++) memory.set(entries[at][0], entries[at][1]);
    },
  };
}

/**
 * Entries per serialized chunk: the pack is written and read a chunk at a time, never whole in one
 * buffer, and the event loop is handed back between chunks. A chunk of 500 seed-page renders
 * (about 2 MB) took 20–40 ms to serialize or deserialize, garbage collection included; one of
 * 128 takes a quarter of that.
 */
export const CHUNK_ENTRIES = 128;

/** The largest chunk read back (a chunk header claiming more is damage); the writer splits chunks to stay under it. */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

/** The first bytes of a pack file: the format, so a pack of another format is never parsed. */
const MAGIC = Buffer.from('CAPIPK3\n');
/** A chunk's header: its length (u32 LE) and its HMAC-SHA256. */
const HEADER_BYTES = 4 + 32;

/**
 * The on-disk side of the caches: one file per cache, content folder, renderer key and V8 version
 * holding every parsed and rendered page of the last load, in V8's serialization format (reading
 * it back is a few hundred milliseconds for 10,000 pages, where one JSON file per page took
 * seconds). Each file is a run of length-prefixed chunks of entries, so writing or reading 200 MB
 * of renders takes memory for one chunk at a time, and a write gives the event loop back between
 * chunks.
 *
 * The folder is untrusted input. Each chunk carries an HMAC-SHA256 (over the file's name, the
 * chunk's position, its length and its bytes) under the per-install key of {@link loadPackKey};
 * lengths are checked against the file's size and {@link MAX_CHUNK_BYTES} before anything is
 * allocated, and a chunk is deserialized only once its MAC is verified, so no byte the service
 * did not write itself is ever deserialized or served. A pack that fails any check (bad MAC,
 * truncated, no end mark, another format) is deleted, and the next write rebuilds it; the chunks
 * verified before the damage are used (entries are keyed by content hash, so a part of a pack
 * can be incomplete but never wrong). Reading and writing never throw: at worst the start is cold.
 */
export function createWarmStartPack<T extends Record<string, Pick<WorkCache<unknown>, 'entries' | 'prime'>>>(dir: string, root: string, rendererKey: string | Promise<string>, caches: T) {
  const rootTag = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const opened = Promise.all([loadPackKey(dir), rendererKey]).then(([key, version]) => {
    if (!key) return null;
    const versionTag = createHash('sha256').update(`${version}\0${process.versions.v8}`).digest('hex').slice(0, 16);
    return { key, prefix: `pack3-${rootTag}-${versionTag}` };
  }, () => null);
  let writing: Promise<void> = Promise.resolve();
  return {
    /** Fills one cache from its part of the pack, if there is a readable one; `signal` stops the reading between chunks. */
    async read(name: keyof T & string, signal?: AbortSignal): Promise<void> {
      const pack = await opened;
      if (!pack) return;
      const base = `${pack.prefix}-${name}.bin`;
      const file = path.join(dir, base);
      const outcome = await readPack(file, base, pack.key, (entries) => caches[name].prime(entries), signal).catch(() => 'damaged' as const);
      if (outcome === 'damaged') {
        warnDamaged(base);
        await rm(file, { force: true }).catch(() => undefined);
      }
    },
    /**
     * Writes the caches' entries in use (aside, then renamed, so a crash never leaves half a pack).
     * `between`, if given, is asked before each chunk is serialized, and what it gives is awaited
     * (a write in the background waits while loads come: see LoadGate).
     */
    write(between?: () => Promise<void> | undefined): Promise<void> {
      writing = writing.then(async () => {
        const pack = await opened;
        if (!pack) return;
        for (const [name, cache] of Object.entries(caches)) {
          const base = `${pack.prefix}-${name}.bin`;
          await writePack(path.join(dir, base), base, pack.key, cache.entries(), between);
        }
        await removeOtherPacks(dir, rootTag, pack.prefix);
      }).catch(() => undefined);
      return writing;
    },
    /** Where this pack's file `name` belongs, with the pack key: for files of other formats kept beside the pack (null: no pack here). */
    async place(name: string): Promise<{ file: string; key: Buffer } | null> {
      const pack = await opened;
      return pack && { file: path.join(dir, `${pack.prefix}-${name}.bin`), key: pack.key };
    },
    /** Resolves once no write is in progress. */
    settled(): Promise<void> {
      return writing;
    },
  };
}

/** The MAC of one chunk: bound to the file's name (so chunks cannot move between packs) and to its position. */
function chunkMac(key: Buffer, base: string, index: number, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(macPrefix(base, index, payload.length)).update(payload).digest();
}

/** What a chunk's MAC covers before its bytes: the file's name, the chunk's position and its length (u32 LE). */
function macPrefix(base: string, index: number, length: number): Buffer {
  const name = Buffer.from(`${base}\0${index}\0`);
  const prefix = Buffer.alloc(name.length + 4);
  name.copy(prefix);
  prefix.writeUInt32LE(length, name.length);
  return prefix;
}

/** The end mark: a zero-length chunk whose MAC covers the chunk count, so a pack cut at a chunk boundary is seen as cut. */
const endMac = (key: Buffer, base: string, count: number) => chunkMac(key, base, count, Buffer.from(`end\0${count}`));

/** Chunks read and being checked ahead of the one being deserialized (a few megabytes at most). */
const READ_AHEAD = 4;

/**
 * Reads a pack, handing each verified chunk's entries to `prime`; 'damaged' at the first check
 * that fails, 'stopped' when `signal` was aborted before the end (nothing is wrong with the pack).
 * A chunk's MAC is checked with WebCrypto, which hashes on libuv's thread pool: at 10,000 pages
 * that is about 50 MB hashed, some 50 ms the main thread spends on the rest of a warm start
 * instead. The chunks are read one after the other (each says where the next begins), and each
 * is checked as soon as it is read, up to {@link READ_AHEAD} of them at once on the pool's
 * threads, while the main thread deserializes the first in line: it seldom waits for the disk or
 * a hash. Each chunk is read into a buffer that begins with what its MAC covers before its bytes
 * (see {@link chunkMac}), so the check hashes the buffer as it is, with no copy.
 */
async function readPack(
  file: string,
  base: string,
  key: Buffer,
  prime: (entries: [string, unknown][]) => void,
  signal?: AbortSignal,
): Promise<'ok' | 'missing' | 'damaged' | 'stopped'> {
  // Non-blocking: a FIFO put where a pack belongs opens at once and is refused by the stat below.
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => null);
  if (!handle) return 'missing';
  // The read of the last chunk taken in line, and the chunks in line with their checks.
  let tail: Promise<PackChunk> | undefined;
  const ahead: Promise<[PackChunk, boolean]>[] = [];
  try {
    const info = await handle.stat();
    if (!info.isFile()) return 'damaged';
    const size = info.size;
    const magic = Buffer.alloc(MAGIC.length);
    if (!(await readExactly(handle, magic, 0)) || !magic.equals(MAGIC)) return 'damaged';
    const macKey = await webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    let taken = 0;
    const takeNext = () => {
      const index = taken++;
      const read: Promise<PackChunk> = tail
        ? tail.then((previous) => (previous === 'damaged' || previous.length === 0 ? 'damaged' : readChunk(handle, { base, index, position: previous.next, size })))
        : readChunk(handle, { base, index, position: MAGIC.length, size });
      tail = read;
      ahead.push(read.then(async (chunk) => [chunk, chunk !== 'damaged' && chunk.length > 0 && (await webcrypto.subtle.verify('HMAC', macKey, chunk.mac, chunk.signed).catch(() => false))]));
    };
    for (let index = 0; ; index++) {
      if (signal?.aborted) return 'stopped';
      while (ahead.length < READ_AHEAD) takeNext();
      const [chunk, verified] = await ahead.shift()!;
      if (chunk === 'damaged') return 'damaged';
      if (chunk.length === 0) {
        // The end mark, and nothing after it.
        return timingSafeEqual(chunk.mac, endMac(key, base, index)) && chunk.next === size ? 'ok' : 'damaged';
      }
      if (!verified) return 'damaged';
      const entries: unknown = v8.deserialize(chunk.signed.subarray(chunk.signed.length - chunk.length));
      if (!isEntryList(entries)) return 'damaged';
      prime(entries);
    }
  } finally {
    // Reads still going (the pack turned out damaged, or the end came) end before the file is closed.
    await Promise.all(ahead);
    await tail;
    await handle.close();
  }
}

/** A chunk as read: its bytes after what its MAC covers before them (`signed`), its MAC, and where the next begins; length 0 is the end mark. */
type PackChunk = { length: number; mac: Buffer; signed: Buffer; next: number } | 'damaged';

/** Reads the chunk at `position`; never rejects (it may be read ahead, with no one awaiting it yet): a failed read is damage. */
function readChunk(handle: FileHandle, at: { base: string; index: number; position: number; size: number }): Promise<PackChunk> {
  return readChunkAt(handle, at).catch(() => 'damaged' as const);
}

async function readChunkAt(handle: FileHandle, at: { base: string; index: number; position: number; size: number }): Promise<PackChunk> {
  const { base, index, size } = at;
  let position = at.position;
  const header = Buffer.alloc(HEADER_BYTES);
  if (size - position < HEADER_BYTES || !(await readExactly(handle, header, position))) return 'damaged';
  position += HEADER_BYTES;
  const length = header.readUInt32LE(0);
  const mac = header.subarray(4);
  if (length === 0) return { length, mac, signed: Buffer.alloc(0), next: position };
  // Checked before allocating: a header claiming 4 GB in an 8-byte file allocates nothing.
  if (length > MAX_CHUNK_BYTES || length > size - position) return 'damaged';
  const prefix = macPrefix(base, index, length);
  const signed = Buffer.allocUnsafe(prefix.length + length);
  prefix.copy(signed);
  if (!(await readExactly(handle, signed.subarray(prefix.length), position))) return 'damaged';
  return { length, mac, signed, next: position + length };
}

async function readExactly(handle: FileHandle, buffer: Buffer, position: number): Promise<boolean> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) return false;
    filled += bytesRead;
  }
  return true;
}

function isEntryList(value: unknown): value is [string, unknown][] {
  return Array.isArray(value) && value.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string');
}

async function writePack(file: string, base: string, key: Buffer, entries: [string, unknown][], between?: () => Promise<void> | undefined): Promise<void> {
  await writeCacheFileAside(file, async (handle) => {
    await handle.write(MAGIC);
    let index = 0;
    const chunks = chunksOf(entries);
    for (;;) {
      await between?.();
      const next = chunks.next();
      if (next.done) break;
      const payload = next.value;
      const header = Buffer.alloc(4);
      header.writeUInt32LE(payload.length);
      await handle.writev([header, chunkMac(key, base, index++, payload), payload]);
    }
    await handle.writev([Buffer.alloc(4), endMac(key, base, index)]);
  });
}

/** Serialized chunks of at most CHUNK_ENTRIES entries and MAX_CHUNK_BYTES bytes; an entry larger than that alone is left out (rendered again). */
function* chunksOf(entries: [string, unknown][]): Generator<Buffer, void> {
  for (let start = 0; start < entries.length;) {
    let count = Math.min(CHUNK_ENTRIES, entries.length - start);
    let payload = v8.serialize(entries.slice(start, start + count));
    while (payload.length > MAX_CHUNK_BYTES && count > 1) {
      count = Math.ceil(count / 2);
      payload = v8.serialize(entries.slice(start, start + count));
    }
    if (payload.length <= MAX_CHUNK_BYTES) yield payload;
    start += count;
  }
}

/** Packs of this content folder from another renderer, V8 or format: they can never be read again. */
async function removeOtherPacks(dir: string, rootTag: string, prefix: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names
    .filter((name) => /^pack\d+-.*\.bin$/.test(name) && name.includes(rootTag) && !name.startsWith(`${prefix}-`))
    .map((name) => rm(path.join(dir, name), { force: true }).catch(() => undefined)));
}

const warnedDamaged = new Set<string>();

function warnDamaged(base: string): void {
  if (warnedDamaged.has(base)) return;
  warnedDamaged.add(base);
  process.emitWarning(`The render cache pack ${base} failed its checks (damaged or not written by this install) and was deleted; it is rebuilt on the next save.`, { code: 'RENDER_CACHE_DAMAGED' });
}
