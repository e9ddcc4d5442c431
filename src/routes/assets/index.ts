import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AssetBytesSchema, AssetParamsSchema } from '../../../schemas/asset.ts';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { AssetQuerySchema, type AssetQuery } from '../../../schemas/query.ts';
import { ASSET_RESPONSE_MEDIA_TYPES, assetMediaType, withoutParameters } from '../../assets/asset-policy.ts';
import {
  EncodeQueueFull,
  ImageRefused,
  VariantsUnavailable,
  createImageVariants,
  type ImageVariantsOptions,
} from '../../assets/image-variants.ts';
import { createEncodeQueue } from '../../assets/encode-queue.ts';
import { createFileFingerprints } from '../../assets/file-fingerprints.ts';
import { VARIANT_MEDIA_TYPES, VARIANT_SOURCE_NAMES, variantFormatOf } from '../../assets/variant-policy.ts';
import { byteRangeOf } from '../../http/byte-range.ts';
import { isFresh } from '../../http/freshness.ts';
import { notAcceptableDetail, preferredMediaType } from '../../http/media-types.ts';
import {
  HttpProblem,
  IMAGE_VARIANTS_BUSY_DETAIL,
  IMAGE_VARIANTS_RETRY_AFTER_SECONDS,
  IMAGE_VARIANTS_UNAVAILABLE_DETAIL,
} from '../../http/problem.ts';
import { createSafeFileReader } from '../../content/safe-file.ts';

export interface AssetRouteOptions {
  contentDir: string;
  /** Largest file served, in bytes (default 50 MiB). */
  maxBytes?: number;
  /** Image variants (`?w=`, `?format=`): where they are kept and how many are encoded at once (app.ts). */
  images: Omit<ImageVariantsOptions, 'onUnavailable'>;
}

/** Cached a day by browsers and CDNs, then revalidated with the ETag (asset URLs carry no hash, so never `immutable`). */
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

/**
 * Variants whose ETag and disk-cache key are remembered (per version of the source, width and
 * format), so a 304 or a variant made before reads nothing of the image.
 */
const REMEMBERED_VARIANTS_BYTES = 1024 * 1024;

/**
 * The site's static files (images, PDFs, fonts…) from the content folder, read through the same
 * safe reader as content: no hidden or `_` paths, no page sources, config or data (see
 * asset-policy.ts), no symlink out of the folder, no FIFOs or devices. With `w` or `format`, a
 * resized or re-encoded variant of an image (assets/image-variants.ts).
 */
const assets: FastifyPluginAsyncZod<AssetRouteOptions> = async (fastify, options) => {
  const reader = createSafeFileReader(options.contentDir);
  const fingerprints = createFileFingerprints();
  const plannedVariants = new LRUCache<string, { etag: string; key: string }>({
    maxSize: REMEMBERED_VARIANTS_BYTES,
    sizeCalculation: (planned, asked) => asked.length + planned.etag.length + planned.key.length,
  });
  // Images read whole for variants: twice what the encode queue takes (encoding and waiting), so
  // its own 503 still answers a burst; beyond, 503 at once rather than a line holding no bytes yet.
  const heldImages = createEncodeQueue({ concurrency: 2 * (options.images.encodes + options.images.maxWaiting), maxWaiting: 0 });
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  const variants = createImageVariants({
    ...options.images,
    onUnavailable: (reason) => fastify.log.warn({ reason }, 'image variants are unavailable: sharp could not be loaded'),
  });

  fastify.get(
    '/assets/*',
    {
      schema: {
        tags: ['assets'],
        operationId: 'getAsset',
        querystring: AssetQuerySchema,
        summary: 'A static file of the site (image, PDF, font…) from the content folder, or a resized image',
        description:
          'The file at this path in the content folder, as Jekyll would publish it: never hidden or `_` files and folders, page sources, ' +
          "config or data files, nor files the site's `exclude` leaves out. Image URLs in page JSON and HTML point here. ETag, Last-Modified and a day of caching; 404 problem+json for anything not served. " +
          'If-None-Match (weak comparison, or `*`) or If-Modified-Since at or after Last-Modified is answered 304, as for pages. ' +
          'A file is streamed, never held in memory whole; one range (`Range: bytes=a-b`, `bytes=a-`, `bytes=-n`, with If-Range) is answered 206 ' +
          'with Content-Range (never compressed), a range starting past the end 416, several ranges or a malformed one the whole file (200). ' +
          "The file is sent with its own media type: an Accept header that admits it (`image/*`, a browser's `<img>` Accept, `*/*`) gets it, " +
          'one that does not is answered 406.\n\n' +
          `Image variants: \`w\` (${VARIANT_SOURCE_NAMES} images) resizes, never past the image's own width; \`format\` re-encodes ` +
          '(webp, avif, jpeg, png). Each is made once, kept on disk and sent with its own ETag and type; EXIF and other metadata are left out. ' +
          'Any other file with `w` or `format` (PDF, SVG…) is 400. An image over IMAGE_MAX_MEGAPIXELS (default 50) or one that cannot be decoded is 422. ' +
          'New variants are encoded IMAGE_ENCODES (default 2) at a time with a short queue: beyond it, 503 with Retry-After. ' +
          'Where the image library (sharp) is not available, variant requests are 501; files as they are are always served.',
        params: AssetParamsSchema,
        response: {
          200: AssetBytesSchema,
          206: AssetBytesSchema,
          304: NotModifiedSchema,
          404: ProblemSchema,
          416: ProblemSchema,
          422: ProblemSchema,
          501: ProblemSchema,
        },
      },
      // Every type a file may have, for the OpenAPI document; the handler negotiates with the file's own type.
      config: { produces: ASSET_RESPONSE_MEDIA_TYPES, negotiatesItself: true },
    },
    async (request, reply) => {
      const file = request.params['*'];
      const type = assetMediaType(file);
      const notServed = () => new HttpProblem(404, `No file "${file}" is served from the content folder.`);
      // A file the site's config leaves out (Jekyll's `exclude`) is not published, so not served.
      if (!type || fastify.content.snapshot.isExcluded(file)) throw notServed();
      const query = request.query;
      const variant = query.w !== undefined || query.format !== undefined;
      const format = variant ? variantFormatOf(type, query.format) : null;
      if (variant && !format) throw noVariantsOf(file, type, query);
      const sent = format ? VARIANT_MEDIA_TYPES[format] : type;
      // Refused before a byte is read: a file the client says it cannot use is not worth reading.
      const offered = [withoutParameters(sent)];
      if (preferredMediaType(request.headers.accept, offered) === undefined) throw new HttpProblem(406, notAcceptableDetail(offered));
      const found = await reader.open(file, maxBytes);
      if (!found.ok) throw notServed();
      // Closed here unless handed to the body's stream, which closes it once sent (or the client is gone).
      let unsent: FileHandle | undefined = found.handle;
      try {
        const lastModified = new Date(found.modified);
        const cachingHeaders = (etag: string) => {
          reply.header('etag', etag);
          reply.header('last-modified', lastModified.toUTCString());
          reply.header('cache-control', CACHE_CONTROL);
          // An SVG opened directly runs no script and loads nothing.
          if (type === 'image/svg+xml') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
          return reply;
        };
        // Hashed once per version of the file (dev, inode, size, mtime), streamed off the handle.
        const sourceHash = await fingerprints.sha256(found);
        if (format) {
          const asked = `${found.version}\n${query.w ?? ''}\n${format}`;
          const known = plannedVariants.get(asked);
          if (known && isFresh(request.headers, known.etag, lastModified)) return cachingHeaders(known.etag).code(304).send(null);
          // Made before: sent from the disk cache without reading the image.
          const kept = known && (await variants.stored(known.key));
          if (known && kept)
            return cachingHeaders(known.etag)
              .type(sent)
              .send(kept as unknown as string);
          const made = await variantFailure(
            reply,
            file,
            // A variant is planned and made of the whole image, so at most so many are held at once (each up to maxBytes).
            heldImages.run(async () => {
              const bytes = await readWhole(found.handle, found.size);
              const planned = await variants.plan({ bytes, sourceHash }, { width: query.w, format });
              plannedVariants.set(asked, { etag: planned.etag, key: planned.key });
              return {
                etag: planned.etag,
                image: isFresh(request.headers, planned.etag, lastModified) ? undefined : await planned.produce(),
              };
            }),
          );
          // Produced before any header is set: a variant that fails is a problem without the file's ETag or caching.
          if (!made.image) return cachingHeaders(made.etag).code(304).send(null);
          // Bytes are sent as they are (Fastify serializes no Buffer); the schema only documents them.
          return cachingHeaders(made.etag)
            .type(sent)
            .send(made.image as unknown as string);
        }
        const etag = `"${sourceHash.slice(0, 27)}"`;
        if (isFresh(request.headers, etag, lastModified)) return cachingHeaders(etag).code(304).send(null);
        const range = rangeAsked(request.headers, etag, lastModified, found.size);
        if (range === 'unsatisfiable') {
          reply.header('content-range', `bytes */${found.size}`);
          throw new HttpProblem(416, `The range asked for lies outside "${file}", which is ${found.size} bytes long.`);
        }
        cachingHeaders(etag).type(sent).header('accept-ranges', 'bytes');
        if (range) {
          reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${found.size}`);
          reply.header('content-length', String(range.end - range.start + 1));
          // A range counts the bytes as stored: never compressed (@fastify/compress reads the request's Accept-Encoding).
          delete request.raw.headers['accept-encoding'];
        } else {
          reply.header('content-length', String(found.size));
        }
        // HEAD: the headers alone (Fastify would read a file stream through to discard it).
        if (request.method === 'HEAD') return reply.send(Readable.from([]) as unknown as string);
        // Streamed from the handle opened and checked above, never reopened by path; memory per request is the stream's buffer.
        const body = found.handle.createReadStream({ start: range?.start ?? 0, end: range?.end, autoClose: true });
        unsent = undefined;
        // Streams are sent as they are (Fastify serializes none); the schema only documents the bytes.
        return reply.send(body as unknown as string);
      } finally {
        await unsent?.close().catch(() => undefined);
      }
    },
  );
};

/**
 * The one byte range to send (`Range: bytes=…`), if the request asks for one this answers: a
 * file itself, with an If-Range (if any) naming its current ETag or Last-Modified.
 */
function rangeAsked(headers: FastifyRequest['headers'], etag: string, lastModified: Date, size: number) {
  const ifRange = headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag && ifRange !== lastModified.toUTCString()) return undefined;
  return byteRangeOf(headers.range, size);
}

/** The whole file, read from its open handle by position (an image a variant is made of). */
async function readWhole(handle: FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? bytes : bytes.subarray(0, filled);
}

/** The 400 for `w` or `format` on a file no variant is made of (a PDF, an SVG…), naming the parameters given. */
function noVariantsOf(file: string, type: string, query: AssetQuery): HttpProblem {
  const given = (['w', 'format'] as const).filter((name) => query[name] !== undefined);
  const kind = withoutParameters(type);
  return new HttpProblem(
    400,
    `No variant is made of "${file}" (${kind}): ${given.join(' and ')} ${given.length > 1 ? 'apply' : 'applies'} to ${VARIANT_SOURCE_NAMES} images only. Ask for the file without ${given.length > 1 ? 'them' : 'it'}.`,
    given.map((name) => ({ in: 'query', name, reason: `applies to ${VARIANT_SOURCE_NAMES} images only, not ${kind}` })),
  );
}

/** The variant, or the problem that stands for why there is none: 501 without sharp, 422 for the image, 503 when encodes are full. */
async function variantFailure<T>(reply: FastifyReply, file: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof VariantsUnavailable) throw new HttpProblem(501, IMAGE_VARIANTS_UNAVAILABLE_DETAIL);
    if (error instanceof ImageRefused) throw new HttpProblem(422, `No variant can be made of "${file}": ${error.message}.`);
    if (error instanceof EncodeQueueFull) {
      reply.header('retry-after', String(IMAGE_VARIANTS_RETRY_AFTER_SECONDS));
      throw new HttpProblem(503, IMAGE_VARIANTS_BUSY_DETAIL);
    }
    throw error;
  }
}

export default assets;
