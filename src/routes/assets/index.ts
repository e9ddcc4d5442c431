import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AssetParamsSchema } from '../../../schemas/asset.ts';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { assetMediaType } from '../../assets/asset-policy.ts';
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
          'config or data files. Image URLs in page JSON and HTML point here. ETag and a day of caching; 404 problem+json for anything not served.',
        params: AssetParamsSchema,
        response: {
          200: z
            .string()
            .meta({ format: 'binary', example: "(the file's bytes)" })
            .describe("The file's bytes, with its own media type (image/png, application/pdf…), not JSON."),
          304: NotModifiedSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const file = request.params['*'];
      const type = assetMediaType(file);
      const notServed = () => new HttpProblem(404, `No file "${file}" is served from the content folder.`);
      if (!type) throw notServed();
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
