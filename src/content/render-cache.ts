import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';

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
  /** The entries in use, for the warm-start pack. */
  entries(): [string, T][];
  /** Adds entries read from the warm-start pack. */
  prime(entries: Iterable<[string, T]>): void;
}

export function createWorkCache<T>(): WorkCache<T> {
  let memory = new Map<string, T>();
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
    entries() {
      return [...memory];
    },
    prime(entries) {
      for (const [key, value] of entries) memory.set(key, value);
    },
  };
}

/** Entries per serialized chunk: the pack is written and read a chunk at a time, never whole in one buffer. */
const CHUNK_ENTRIES = 500;

/**
 * The on-disk side of the caches: one file per cache, content folder and renderer version holding
 * every parsed and rendered page of the last load, in V8's serialization format (reading it back
 * is a few hundred milliseconds for 10,000 pages, where one JSON file per page took seconds).
 * Each file is a run of length-prefixed chunks of entries, so writing or reading 200 MB of
 * renders takes memory for one chunk at a time, and a write gives the event loop back between
 * chunks. Entries are keyed by content hash, so the pack can be out of date but never wrong;
 * deleting it only costs a cold start.
 */
export function createWarmStartPack<T extends Record<string, Pick<WorkCache<unknown>, 'entries' | 'prime'>>>(dir: string, root: string, version: string, caches: T) {
  const prefix = path.join(dir, `pack2-v${version}-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`);
  let writing: Promise<void> = Promise.resolve();
  return {
    /** Fills one cache from its part of the pack, if there is a readable one. */
    async read(name: keyof T & string): Promise<void> {
      const handle = await open(`${prefix}-${name}.bin`, 'r').catch(() => null);
      if (!handle) return;
      try {
        const header = Buffer.alloc(4);
        while ((await handle.read(header, 0, 4, null)).bytesRead === 4) {
          const chunk = Buffer.allocUnsafe(header.readUInt32LE(0));
          if ((await handle.read(chunk, 0, chunk.length, null)).bytesRead < chunk.length) break;
          caches[name].prime(v8.deserialize(chunk) as [string, unknown][]);
        }
      } catch {
        // A pack from another format, or damaged: what was read is good (keyed by content hash); the rest starts cold.
      } finally {
        await handle.close();
      }
    },
    /** Writes the caches' entries in use (aside, then renamed, so a crash never leaves half a pack). */
    write(): Promise<void> {
      writing = writing.then(async () => {
        await mkdir(dir, { recursive: true });
        for (const [name, cache] of Object.entries(caches)) {
          const file = `${prefix}-${name}.bin`;
          const temporary = `${file}.${process.pid}.tmp`;
          const handle = await open(temporary, 'w');
          try {
            const entries = cache.entries();
            for (let start = 0; start < entries.length; start += CHUNK_ENTRIES) {
              const chunk = v8.serialize(entries.slice(start, start + CHUNK_ENTRIES));
              const header = Buffer.alloc(4);
              header.writeUInt32LE(chunk.length);
              await handle.writev([header, chunk]);
            }
            await handle.close();
            await rename(temporary, file);
          } catch (error) {
            await handle.close().catch(() => undefined);
            await rm(temporary, { force: true });
            throw error;
          }
        }
      }).catch(() => undefined);
      return writing;
    },
    /** Resolves once no write is in progress. */
    settled(): Promise<void> {
      return writing;
    },
  };
}
