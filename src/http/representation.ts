import { createHash, hash as digest, type Hash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants as zlib, gzip, gzipSync, type BrotliOptions, type ZlibOptions } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';
import type { BodyStore, Representation, Variants } from '../model/representation.ts';
import { isFresh } from './freshness.ts';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

/** Bodies smaller than this are not worth compressing (one TCP packet either way). */
const COMPRESS_MIN_BYTES = 1024;
/**
 * Bodies up to this size may be compressed on the request path when no variant is ready (well
 * under a millisecond); larger ones are sent as they are while zlib's thread pool compresses them
 * for the next request, so no request stalls the event loop on a large page.
 */
export const SYNC_COMPRESS_MAX_BYTES = 32 * 1024;

const brotliAsync = promisify<Buffer, BrotliOptions, Buffer>(brotliCompress);
const gzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gzip);
export const brotliOptions = (plain: Buffer): BrotliOptions => ({
  params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: plain.length },
});
export const gzipOptions: ZlibOptions = { level: 6 };

/**
 * zlib hands back a view of its 8 or 16 KB output chunk, which would keep the whole chunk alive
 * for as long as the variant is held: a 2 KB variant is copied into memory of its own (not
 * Buffer's shared 8 KB pool, whose slabs a few long-lived variants would keep alive too).
 */
function compact(compressed: Buffer): Buffer {
  if (compressed.length === compressed.buffer.byteLength) return compressed;
  const own = Buffer.allocUnsafeSlow(compressed.length);
  compressed.copy(own);
  return own;
}

/** Serializes a body once. `lastModified` is when its content last changed. */
export function represent(body: string | Buffer, contentType: string, lastModified: Date): Representation {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return representLazily(() => bytes, contentType, lastModified, bodyIdentity(contentType, createHash('sha256').update(bytes)));
}

/** Bytes serialized and hashed between two pauses of {@link representInSteps}. */
const STEP_BYTES = 256 * 1024;
/** Pieces serialized between two pauses, at most, however small (a piece may cost more to make than to hash). */
const STEP_PIECES = 64;

/**
 * {@link represent} of a body made a piece at a time, as steps: a pause every
 * {@link STEP_PIECES} pieces or {@link STEP_BYTES} bytes, so a body of megabytes is neither made,
 * encoded nor hashed in one go. The representation is the one `represent` makes of the whole.
 */
export function* representInSteps(pieces: Iterable<string>, contentType: string, lastModified: Date): Generator<void, Representation> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  let count = 0;
  for (const piece of pieces) {
    const chunk = Buffer.from(piece);
    hash.update(chunk);
    chunks.push(chunk);
    bytes += chunk.length;
    if (++count >= STEP_PIECES || bytes >= STEP_BYTES) {
      count = 0;
      bytes = 0;
      yield;
    }
  }
  const body = Buffer.concat(chunks);
  return representLazily(() => body, contentType, lastModified, bodyIdentity(contentType, hash));
}

/** What a body's ETag is made of: its type and the hash of its bytes. */
function bodyIdentity(contentType: string, hash: Hash): string {
  return `${contentType}\n${hash.digest('base64url')}`;
}

/**
 * A representation whose bytes are serialized on first use: for pages, whose ETag is known from
 * their source (`identity`, a hash of everything the body is made of) before anyone asks for
 * them. Loading 10,000 pages then serializes none of them.
 *
 * Without a body store the bytes, once made, are kept here, and the variants too. With one
 * (see createBodyStore), the bytes live in it: in memory while among the most recently used,
 * and the variants on disk, read back when asked for again; the representation itself holds
 * only its ETag and size.
 */
export function representLazily(
  serialize: BodySource,
  contentType: string,
  lastModified: Date,
  identity: string,
  store?: BodyStore,
): Representation {
  return new LazyRepresentation(serialize, contentType, lastModified, identity, store ?? new OwnBodies());
}

/**
 * What a lazy representation's bytes are made from: a function, or an object that makes the
 * bytes of each of its representations by content type. A page record is the latter for its JSON
 * and HTML (see LoadedPage): two closures and their context a page were 30,000 objects at
 * 10,000 pages for the collector to trace.
 */
export type BodySource = (() => string | Buffer) | { serialize(contentType: string): string | Buffer };

/**
 * `date` to the whole second before it, as HTTP dates have it (Last-Modified, If-Modified-Since):
 * the same Date when it is already whole, so a page's two representations share one.
 */
export function toWholeSecond(date: Date): Date {
  const time = date.getTime();
  return time % 1000 === 0 ? date : new Date(Math.floor(time / 1000) * 1000);
}

/**
 * {@link representLazily}'s representation: a class, not an object of closures, because every
 * page has two (JSON and HTML) for as long as it is served: its state is a few fields and its
 * methods are shared, about 150 bytes a representation where eight closures, their context and
 * a dictionary of properties took about 1.2 KB (24 MB at 10,000 pages).
 */
class LazyRepresentation implements Representation {
  readonly contentType: string;
  readonly lastModified: Date;
  readonly #source: BodySource;
  readonly #bodies: BodyStore;
  readonly #identity: string;
  #etag: string | undefined;
  #identityKey: string | undefined;
  #size: number | undefined;
  #lastModifiedHttp: string | undefined;
  // One background compression (or read from disk) at a time, however many requests ask meanwhile.
  #compressing: Promise<number> | undefined;
  #loading: Promise<Variants | undefined> | undefined;

  constructor(source: BodySource, contentType: string, lastModified: Date, identity: string, bodies: BodyStore) {
    this.#identity = identity;
    this.contentType = contentType;
    this.lastModified = toWholeSecond(lastModified);
    this.#source = source;
    this.#bodies = bodies;
  }

  /** Hashed when first asked for: a warm start lists 10,000 pages without hashing 20,000 ETags first. */
  get etag(): string {
    return (this.#etag ??= `"${digest('sha256', this.contentType + this.#identity, 'base64url').slice(0, 27)}"`);
  }

  get body(): Buffer {
    // Kept in memory: the lookup has made it the most recently used already (the common case,
    // a page asked for again: one lookup, no second write to the store).
    const kept = this.#bodies.get(this.#plainKey());
    if (kept) return kept;
    const bytes = this.#plain();
    this.#bodies.set(this.#plainKey(), bytes);
    return bytes;
  }

  get size(): number {
    return this.#size ?? this.#plain().length;
  }

  get lastModifiedHttp(): string {
    return (this.#lastModifiedHttp ??= this.lastModified.toUTCString());
  }

  encoded(encoding: 'br' | 'gzip'): Buffer | Promise<Buffer | undefined> | undefined {
    const ready = this.#bodies.get(`${this.etag}:${encoding}`);
    if (ready) return ready;
    // Compressed before and saved: read back from the disk, or compressed again if that fails.
    if (this.#bodies.saved(this.etag)) return this.#load().then((variants) => variants?.[encoding] ?? this.encoded(encoding));
    if (this.size > SYNC_COMPRESS_MAX_BYTES) {
      this.#compressing ??= this.precompress().finally(() => (this.#compressing = undefined));
      // Failures are retried by the next request; the body is served as it is meanwhile.
      this.#compressing.catch(() => undefined);
      return undefined;
    }
    const bytes = this.#plain();
    const variant = compact(encoding === 'br' ? brotliCompressSync(bytes, brotliOptions(bytes)) : gzipSync(bytes, gzipOptions));
    this.#bodies.set(`${this.etag}:${encoding}`, variant);
    return variant;
  }

  async precompress(): Promise<number> {
    const bodies = this.#bodies;
    await bodies.ready;
    const br = bodies.get(`${this.etag}:br`);
    const gzip = bodies.get(`${this.etag}:gzip`);
    // Done already (a page unchanged since the last version, or saved by an earlier run), or known to be too small.
    if (br && gzip) return br.length + gzip.length;
    if (bodies.saved(this.etag) || (this.#size !== undefined && this.#size < COMPRESS_MIN_BYTES)) return 0;
    // Serialized only to be compressed (and to learn its size): not kept unless asked for.
    const bytes = this.#plain();
    if (bytes.length < COMPRESS_MIN_BYTES) return 0;
    // A request may have compressed a variant meanwhile (encoded()): the first one made is kept.
    const variants = {
      br: br ?? compact(await brotliAsync(bytes, brotliOptions(bytes))),
      gzip: gzip ?? compact(await gzipAsync(bytes, gzipOptions)),
    };
    await bodies.save(this.etag, variants);
    // Saved: read back on its first request, so memory holds the bodies requests use, not the
    // last pages compressed. Without a folder (or when the write failed), memory is their place.
    if (!bodies.saved(this.etag)) this.#keep(variants);
    return variants.br.length + variants.gzip.length;
  }

  /** The store's key of the plain body, made once: a key built per request is a new string to hash each time. */
  #plainKey(): string {
    return (this.#identityKey ??= `${this.etag}:identity`);
  }

  #plain(): Buffer {
    let bytes = this.#bodies.get(this.#plainKey());
    if (!bytes) {
      const source = this.#source;
      const value = typeof source === 'function' ? source() : source.serialize(this.contentType);
      bytes = typeof value === 'string' ? Buffer.from(value) : value;
    }
    this.#size = bytes.length;
    return bytes;
  }

  #keep(variants: Variants): void {
    this.#bodies.set(`${this.etag}:br`, variants.br);
    this.#bodies.set(`${this.etag}:gzip`, variants.gzip);
  }

  #load(): Promise<Variants | undefined> {
    return (this.#loading ??= this.#bodies
      .load(this.etag)
      .then((variants) => {
        if (variants) this.#keep({ br: compact(variants.br), gzip: compact(variants.gzip) });
        return variants;
      })
      .finally(() => (this.#loading = undefined)));
  }
}

/** Settled for good: what a store with nothing on disk is ready with. */
const READY = Promise.resolve();

/**
 * Bodies kept by the representation itself (no body store): every variant made, and the plain
 * bytes once asked for. A class, as one is made for every search answer and list page: an object
 * of seven closures cost seven closures a response (and, in the bundle, seven calls to esbuild's
 * name helper, about 1.7% of a routed search's CPU).
 */
class OwnBodies implements BodyStore {
  readonly ready = READY;
  readonly #held = new Map<string, Buffer>();

  get(key: string): Buffer | undefined {
    return this.#held.get(key);
  }

  set(key: string, bytes: Buffer): void {
    this.#held.set(key, bytes);
  }

  saved(): boolean {
    return false;
  }

  save(): Promise<void> {
    return READY;
  }

  load(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  sweep(): Promise<void> {
    return READY;
  }

  forget(): Promise<void> {
    return READY;
  }
}

/** Caching policy of public responses (see schemas/config.ts). */
export interface CachePolicy {
  maxAge: number;
  staleWhileRevalidate: number;
  /** The Cache-Control value of public responses. */
  header: string;
}

/** Builds the caching policy once, with its header value. */
export function cachePolicy(maxAge: number, staleWhileRevalidate: number): CachePolicy {
  return { maxAge, staleWhileRevalidate, header: `public, max-age=${maxAge}, stale-while-revalidate=${staleWhileRevalidate}` };
}

/**
 * Sends a representation with HTTP caching done right: ETag, Last-Modified, Cache-Control,
 * `Vary: Accept, Accept-Encoding`; 304 on a matching If-None-Match (nothing is rebuilt);
 * a precompressed body when the client accepts br or gzip. Preview responses are never cacheable
 * by shared caches.
 */
export function sendRepresentation(
  request: FastifyRequest,
  reply: FastifyReply,
  representation: Representation,
  policy: CachePolicy,
  options: { private?: boolean } = {},
) {
  reply.header('etag', representation.etag);
  reply.header('last-modified', representation.lastModifiedHttp);
  // Keep what others vary on (CORS adds Origin when origins are a list).
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept, Accept-Encoding` : 'Accept, Accept-Encoding');
  reply.header('cache-control', options.private ? 'private, no-store' : policy.header);
  const answer = answerFor(request.headers, representation);
  if (answer.status === 304) return reply.code(304).send();
  reply.type(representation.contentType);
  if ('pending' in answer) {
    // Sent once read (a reply returned unsent is sent later, as Fastify allows).
    void answer.pending.then(
      (bytes) => (bytes ? reply.header('content-encoding', answer.encoding).send(bytes) : reply.send(representation.body)),
      () => reply.send(representation.body),
    );
    return reply;
  }
  if (answer.encoding) reply.header('content-encoding', answer.encoding);
  return reply.send(answer.body);
}

/**
 * What a request gets of a representation: 304, or the body in the encoding it accepts best;
 * a variant read back from the disk comes later (`pending`: its bytes, or undefined to send the
 * body as it is).
 */
export type Answer =
  | { status: 304 }
  | { status: 200; body: Buffer; encoding?: 'br' | 'gzip' }
  | { status: 200; pending: Promise<Buffer | undefined>; encoding: 'br' | 'gzip' };

/** Decides 304 or 200 and the encoding from the request headers alone (shared by routes and the edge cache). */
export function answerFor(headers: IncomingHttpHeaders, representation: Representation): Answer {
  if (isFresh(headers, representation.etag, representation.lastModified)) return { status: 304 };
  const encoding = representation.size >= COMPRESS_MIN_BYTES ? pickEncoding(headers) : undefined;
  const encoded = encoding ? representation.encoded(encoding) : undefined;
  if (encoded instanceof Promise) return { status: 200, pending: encoded, encoding: encoding! };
  return encoded ? { status: 200, body: encoded, encoding } : { status: 200, body: representation.body };
}

/**
 * The encoding each Accept-Encoding value picks, for the values seen lately: clients send a
 * handful of distinct values, and negotiating one (parsing its q-values) costs more than the
 * rest of a cached answer. Bounded in count and in the length of a value kept.
 */
const encodingChoices = new LRUCache<string, 'br' | 'gzip' | 'identity'>({ max: 256 });
const MAX_REMEMBERED_ACCEPT_ENCODING = 256;

function pickEncoding(headers: IncomingHttpHeaders): 'br' | 'gzip' | undefined {
  const header = headers['accept-encoding'];
  if (!header) return undefined;
  let choice = encodingChoices.get(header);
  if (choice === undefined) {
    const negotiated = new Negotiator({ headers: { 'accept-encoding': header } }).encoding(['br', 'gzip', 'identity']);
    choice = negotiated === 'br' || negotiated === 'gzip' ? negotiated : 'identity';
    if (header.length <= MAX_REMEMBERED_ACCEPT_ENCODING) encodingChoices.set(header, choice);
  }
  return choice === 'identity' ? undefined : choice;
}

/** Serializes a JSON body once (the caller states its shape with `satisfies`). */
export function representJson(body: unknown, lastModified: Date): Representation {
  return represent(JSON.stringify(body), JSON_CONTENT_TYPE, lastModified);
}

/** Serializes an HTML fragment once. */
export function representHtml(html: string, lastModified: Date): Representation {
  return represent(html, HTML_CONTENT_TYPE, lastModified);
}
