import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { SiteSchema, type Site } from '../../../schemas/site.ts';
import { representJson } from '../../http/representation.ts';

/** Site-wide settings: title, description, URLs, author, social links. */
const site: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/site',
    {
      schema: {
        tags: ['service'],
        operationId: 'getSite',
        querystring: NoQuerySchema,
        summary: "Site settings (a Jekyll site's _config.yml, public keys only)",
        description: "Title, description, base URL and the other public settings of the site, for a frontend's layout and meta tags.",
        response: { 200: SiteSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { snapshot } = fastify.content;
      const view = fastify.content.viewFor(request);
      const settings = snapshot.site ?? {};
      const text = (key: string) => (typeof settings[key] === 'string' ? settings[key] : null);
      return reply.represent(
        view.responses.get('site', () =>
          representJson(
            {
              title: text('title'),
              description: text('description'),
              url: text('url'),
              baseurl: text('baseurl'),
              settings,
            } satisfies Site,
            snapshot.loadedAt,
          ),
        ),
      );
    },
  );
};

export default site;
