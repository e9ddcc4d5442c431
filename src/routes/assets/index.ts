import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
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
import { VARIANT_MEDIA_TYPES, VARIANT_SOURCE_NAMES, variantFormatOf } from '../../assets/variant-policy.ts';
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
 * The site's static files (images, PDFs, fonts…) from the content folder, read through the same
 * safe reader as content: no hidden or `_` paths, no page sources, config or data (see
 * asset-policy.ts), no symlink out of the folder, no FIFOs or devices. With `w` or `format`, a
 * resized or re-encoded variant of an image (assets/image-variants.ts).
 */
const assets: FastifyPluginAsyncZod<AssetRouteOptions> = async (fastify, options) => {
  const reader = createSafeFileReader(options.contentDir);
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
          'config or data files. Image URLs in page JSON and HTML point here. ETag and a day of caching; 404 problem+json for anything not served. ' +
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
          304: NotModifiedSchema,
          404: ProblemSchema,
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
      if (!type) throw notServed();
      const query = request.query;
      const variant = query.w !== undefined || query.format !== undefined;
      const format = variant ? variantFormatOf(type, query.format) : null;
      if (variant && !format) throw noVariantsOf(file, type, query);
      const sent = format ? VARIANT_MEDIA_TYPES[format] : type;
      // Refused before a byte is read: a file the client says it cannot use is not worth reading.
      const offered = [withoutParameters(sent)];
      if (preferredMediaType(request.headers.accept, offered) === undefined) throw new HttpProblem(406, notAcceptableDetail(offered));
      const found = await reader.read(file, maxBytes);
      if (!found.ok) throw notServed();
      const sourceHash = createHash('sha256').update(found.bytes).digest('base64url');
      let etag = `"${sourceHash.slice(0, 27)}"`;
      let produce = async () => found.bytes;
      if (format) {
        const planned = await variantFailure(reply, file, variants.plan({ bytes: found.bytes, sourceHash }, { width: query.w, format }));
        etag = planned.etag;
        produce = () => variantFailure(reply, file, planned.produce());
      }
      const cachingHeaders = () => {
        reply.header('etag', etag);
        reply.header('last-modified', new Date(found.modified).toUTCString());
        reply.header('cache-control', CACHE_CONTROL);
        // An SVG opened directly runs no script and loads nothing.
        if (type === 'image/svg+xml') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        return reply;
      };
      if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return cachingHeaders().code(304).send(null);
      // Produced before any header is set: a variant that fails is a problem without the file's ETag or caching.
      const bytes = await produce();
      cachingHeaders().type(sent);
      // Bytes are sent as they are (Fastify serializes no Buffer); the schema only documents them.
      return reply.send(bytes as unknown as string);
    },
  );
};

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
