import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DataFileSchema, DataParamsSchema } from '../../../schemas/data.ts';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { HttpProblem } from '../../http/problem.ts';
import { representJson } from '../../http/representation.ts';
import { withoutSecrets } from '../../jekyll/site-settings.ts';

/** The site's data files (Jekyll's `_data/`), as JSON. */
const data: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/data/:name',
    {
      schema: {
        tags: ['site'],
        operationId: 'getData',
        querystring: NoQuerySchema,
        summary: 'A data file of the site (`_data/<name>.yml`, `.yaml` or `.json`) as JSON',
        description:
          'What Jekyll templates read as `site.data.<name>`: authors, navigation, team lists… Keys that look secret are removed at every depth, ' +
          'as in /v1/site. Names starting with `_` (such as a config kept in `_data/`) are never served. 404 problem+json for an unknown name.',
        params: DataParamsSchema,
        response: { 200: DataFileSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { snapshot } = fastify.content;
      const view = fastify.content.viewFor(request);
      const { name } = request.params;
      const known = !name.startsWith('_') && Object.hasOwn(snapshot.data, name);
      if (!known) {
        // Only names a request can give: not the empty key (a file named 日本.yml), nor one longer than the route takes.
        const names = Object.keys(snapshot.data)
          .filter((key) => !key.startsWith('_') && DataParamsSchema.shape.name.safeParse(key).success)
          .sort();
        throw new HttpProblem(
          404,
          `The site has no data file "${name}"${names.length ? ` (it has: ${names.join(', ')})` : ' (it has no _data folder)'}.`,
        );
      }
      return reply.represent(
        view.responses.get(`data:${name}`, () => representJson(withoutSecrets(snapshot.data[name]), snapshot.loadedAt)),
      );
    },
  );
};

export default data;
