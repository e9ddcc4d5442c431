/**
 * One response body, serialized once per content version: the bytes, a strong ETag (a hash of
 * the content, so it is the same across restarts for the same content) and, for large bodies,
 * brotli and gzip variants compressed once: ahead of time by {@link Representation.precompress},
 * or on first use.
 */
export interface Representation {
  readonly body: Buffer;
  /** The body's length in bytes, known without holding the body once it has been precompressed. */
  readonly size: number;
  readonly etag: string;
  readonly contentType: string;
  readonly lastModified: Date;
  /** lastModified as an HTTP date, formatted once. */
  readonly lastModifiedHttp: string;
  /**
   * The brotli or gzip variant: ready, or compressed now when the body is small; read back from
   * the disk (a promise: its bytes, or undefined to send the body as it is); undefined when a
   * large body's variants are still being compressed (in the background: send the body as it is).
   */
  encoded(encoding: 'br' | 'gzip'): Buffer | Promise<Buffer | undefined> | undefined;
  /**
   * Compresses the brotli and gzip variants in zlib's thread pool, off the event loop, unless the
   * body is too small to need them, and resolves with their bytes. A body serialized only to be
   * compressed is let go afterwards: nearly every client accepts br or gzip, so a page held in
   * memory costs its compressed variants (about 9 KB for a seed-sized page's JSON and HTML, not
   * 30 KB), and the rare identity request serializes it again.
   */
  precompress(): Promise<number>;
}

/** A representation's compressed bodies. */
export interface Variants {
  br: Buffer;
  gzip: Buffer;
}

/**
 * Where representations keep their bytes (see src/content/body-store.ts): the most recently used
 * in memory, and the compressed variants of every page on disk when there is a folder for them.
 */
export interface BodyStore {
  /** Resolves once the store knows what the disk holds (so {@link saved} answers for an earlier run's bodies too). */
  readonly ready: Promise<void>;
  /** Bytes kept in memory under `key` (a representation's ETag and an encoding), if any. */
  get(key: string): Buffer | undefined;
  /** Keeps bytes in memory, as long as they are among the most recently used. */
  set(key: string, bytes: Buffer): void;
  /** Whether a representation's variants are on disk (by its ETag): {@link load} then reads them. */
  saved(etag: string): boolean;
  /** Writes a representation's variants to disk (nothing without a folder). */
  save(etag: string, variants: Variants): Promise<void>;
  /** Reads a representation's variants back from disk, checked; undefined when missing or damaged. */
  load(etag: string): Promise<Variants | undefined>;
  /** Deletes the variants of every representation but these (after a whole load). */
  sweep(live: ReadonlySet<string>): Promise<void>;
  /** Deletes the variants of these representations (replaced by a live edit). */
  forget(etags: Iterable<string>): Promise<void>;
}
