import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AssetBytesSchema, AssetParamsSchema } from '../../../schemas/asset.ts';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { ASSET_RESPONSE_MEDIA_TYPES, assetMediaType, withoutParameters } from '../../assets/asset-policy.ts';
import { notAcceptableDetail, preferredMediaType } from '../../http/media-types.ts';
import { HttpProblem } from '../../http/problem.ts';
import { createSafeFileReader } from '../../content/safe-file.ts';

export interface AssetRouteOptions {
  contentDir: string;
  /** Largest file served, in bytes (default 50 MiB). */
  maxBytes?: number;
}

/** Cached a day by browsers and CDNs, then revalidated with the ETag (asset URLs carry no hash, so never `immutable`). */
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

/**
 * The site's static files (images, PDFs, fonts…) from the content folder, read through the same
 * safe reader as content: no hidden or `_` paths, no page sources, config or data (see
 * asset-policy.ts), no symlink out of the folder, no FIFOs or devices.
 */
const assets: FastifyPluginAsyncZod<AssetRouteOptions> = async (fastify, options) => {
  const reader = createSafeFileReader(options.contentDir);
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;

  fastify.get(
    '/assets/*',
    {
      schema: {
        tags: ['assets'],
        operationId: 'getAsset',
        querystring: NoQuerySchema,
        summary: 'A static file of the site (image, PDF, font…) from the content folder',
        description:
          'The file at this path in the content folder, as Jekyll would publish it: never hidden or `_` files and folders, page sources, ' +
          'config or data files. Image URLs in page JSON and HTML point here. ETag and a day of caching; 404 problem+json for anything not served. ' +
          "The file is sent with its own media type: an Accept header that admits it (`image/*`, a browser's `<img>` Accept, `*/*`) gets it, " +
          'one that does not is answered 406.',
        params: AssetParamsSchema,
        response: {
          200: AssetBytesSchema,
          304: NotModifiedSchema,
          404: ProblemSchema,
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
      // Refused before a byte is read: a file the client says it cannot use is not worth reading.
      const offered = [withoutParameters(type)];
      if (preferredMediaType(request.headers.accept, offered) === undefined) throw new HttpProblem(406, notAcceptableDetail(offered));
      const found = await reader.read(file, maxBytes);
      if (!found.ok) throw notServed();
      const etag = `"${createHash('sha256').update(found.bytes).digest('base64url').slice(0, 27)}"`;
      reply.header('etag', etag);
      reply.header('last-modified', new Date(found.modified).toUTCString());
      reply.header('cache-control', CACHE_CONTROL);
      // An SVG opened directly runs no script and loads nothing.
      if (type === 'image/svg+xml') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return reply.code(304).send(null);
      reply.type(type);
      // Bytes are sent as they are (Fastify serializes no Buffer); the schema only documents them.
      return reply.send(found.bytes as unknown as string);
    },
  );
};

export default assets;
