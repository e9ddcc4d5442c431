import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { ResolveQuerySchema } from '../../../schemas/query.ts';
import { ResolutionSchema, type Resolution } from '../../../schemas/resolve.ts';
import { representJson } from '../../http/representation.ts';
import { permalinkKeyOf, withoutBaseUrl } from '../../model/permalink.ts';
import { HttpProblem } from '../../http/problem.ts';

/** Maps a site URL path to its page or redirect: what a frontend router needs. */
const resolve: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/resolve',
    {
      schema: {
        tags: ['navigation'],
        operationId: 'resolvePath',
        summary: 'Find the page (or redirect) a URL path of the site stands for',
        description: 'What a frontend router asks for a URL: the page served at that path, or where it redirects (from `redirect_from`).',
        querystring: ResolveQuerySchema,
        response: { 200: ResolutionSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { path } = request.query;
      const view = fastify.content.viewFor(request);
      // Neither the path nor its key is remembered: every spelling of a page (`/a/`, `/a`, `/a/#1`…)
      // shares the one answer memoized under the page (or redirect) it resolves to.
      const key = permalinkKeyOf(withoutBaseUrl(path, fastify.content.snapshot.baseUrl));
      const record = view.byPermalink.get(key);
      if (record) {
        return reply.represent(
          view.responses.get(`resolve:page:${record.summary.slug}`, () =>
            representJson({ kind: 'page', path: record.summary.permalink, page: record.page } satisfies Resolution, record.modified),
          ),
        );
      }
      const location = view.redirects.get(key);
      if (location === undefined) throw new HttpProblem(404, `No page or redirect is served at ${path}.`);
      return reply.represent(
        view.responses.get(`resolve:redirect:${key}`, () =>
          representJson({ kind: 'redirect', path: key, location, status: 301 } satisfies Resolution, view.modified),
        ),
      );
    },
  );
};

export default resolve;
