import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { ResolveQuerySchema } from '../../../schemas/query.ts';
import { ResolutionSchema, type Resolution } from '../../../schemas/resolve.ts';
import { representJson } from '../../http/representation.ts';
import { permalinkKey, withoutBaseUrl } from '../../content/permalink.ts';
import { HttpProblem } from '../../http/problem.ts';

/** Maps a site URL path to its page or redirect: what a frontend router needs. */
const resolve: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/resolve', {
    schema: {
      tags: ['navigation'],
      operationId: 'resolvePath',
      summary: 'Find the page (or redirect) a URL path of the site stands for',
      description: 'What a frontend router asks for a URL: the page served at that path, or where it redirects (from `redirect_from`).',
      querystring: ResolveQuerySchema,
      response: { 200: ResolutionSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
    },
  }, async (request, reply) => {
    const { path } = request.query;
    const view = fastify.content.viewFor(request);
    const key = permalinkKey(withoutBaseUrl(path, fastify.content.snapshot.baseUrl));
    const record = view.byPermalink.get(key);
    const location = view.redirects.get(key);
    if (!record && !location) throw new HttpProblem(404, `No page or redirect is served at ${path}.`);
    return reply.represent(view.responses.get(`resolve?${path}`, () =>
      record
        ? representJson({ kind: 'page', path, page: record.page } satisfies Resolution, record.modified)
        : representJson({ kind: 'redirect', path, location: location!, status: 301 } satisfies Resolution, view.modified)));
  });
};

export default resolve;
