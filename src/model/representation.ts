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
   * The brotli or gzip variant: ready, or compressed now when the body is small; undefined when a
   * large body's variants are still being compressed (in the background: send the body as it is).
   */
  encoded(encoding: 'br' | 'gzip'): Buffer | undefined;
  /**
   * Compresses the brotli and gzip variants in zlib's thread pool, off the event loop, unless the
   * body is too small to need them, and resolves with their bytes. A body serialized only to be
   * compressed is let go afterwards: nearly every client accepts br or gzip, so a page held in
   * memory costs its compressed variants (about 9 KB for a seed-sized page's JSON and HTML, not
   * 30 KB), and the rare identity request serializes it again.
   */
  precompress(): Promise<number>;
}
