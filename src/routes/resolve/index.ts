import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { ResolveQuerySchema } from '../../../schemas/query.ts';
import { ResolutionSchema } from '../../../schemas/resolve.ts';
import { permalinkKey } from '../../content/permalink.ts';
import { HttpProblem } from '../../http/problem.ts';

/** Maps a site URL path to its page or redirect: what a frontend router needs. */
const resolve: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/resolve', {
    schema: {
      tags: ['navigation'],
      summary: 'Find the page (or redirect) a URL path of the site stands for',
      querystring: ResolveQuerySchema,
      response: { 200: ResolutionSchema, 400: ProblemSchema, 404: ProblemSchema },
    },
  }, async (request) => {
    const { path } = request.query;
    const view = fastify.content.viewFor(request);
    const key = permalinkKey(path);
    const record = view.byPermalink.get(key);
    if (record) return { kind: 'page' as const, path, page: record.summary };
    const location = view.redirects.get(key);
    if (location) return { kind: 'redirect' as const, path, location, status: 301 as const };
    throw new HttpProblem(404, `No page or redirect is served at ${path}.`);
  });
};

export default resolve;
