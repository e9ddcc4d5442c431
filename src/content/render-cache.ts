import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A cache of work done on content, keyed by a hash of everything the work depends on (source
 * text, renderer version, site settings), so an entry can never be stale: different inputs give
 * a different key. Kept in memory for live reloads and, when a folder is given, on disk for warm
 * starts. The disk folder is safe to delete at any time.
 */
export interface WorkCache<T> {
  /** The in-memory entry, without touching the disk (the common case of a live reload). */
  peek(key: string): T | undefined;
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): void;
  /** Forgets in-memory entries not used since the last call (the disk keeps them). */
  sweep(): void;
  /** Waits for pending disk writes (tests, shutdown). */
  flush(): Promise<void>;
}

export function createWorkCache<T>(options: { dir?: string | null; name: string }): WorkCache<T> {
  const memory = new Map<string, T>();
  let used = new Set<string>();
  const pending = new Set<Promise<void>>();
  const dir = options.dir ? path.join(options.dir, options.name) : null;
  const fileOf = (key: string) => path.join(dir!, key.slice(0, 2), `${key}.json`);

  return {
    peek(key) {
      const hit = memory.get(key);
      if (hit !== undefined) used.add(key);
      return hit;
    },
    async get(key) {
      used.add(key);
      const hit = memory.get(key);
      if (hit !== undefined || !dir) return hit;
      try {
        const value = JSON.parse(await readFile(fileOf(key), 'utf8')) as T;
        memory.set(key, value);
        return value;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      used.add(key);
      memory.set(key, value);
      if (!dir) return;
      const file = fileOf(key);
      // Written aside and renamed, so a crash never leaves a half-written entry behind.
      const write = mkdir(path.dirname(file), { recursive: true })
        .then(() => writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(value)))
        .then(() => rename(`${file}.${process.pid}.tmp`, file))
        .catch(() => undefined)
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    sweep() {
      for (const key of memory.keys()) if (!used.has(key)) memory.delete(key);
      used = new Set();
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}
