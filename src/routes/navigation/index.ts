import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { NavigationSchema, type Navigation } from '../../../schemas/navigation.ts';
import { representJson } from '../../http/representation.ts';

/** Call-to-action links declared in page headers. */
const navigation: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/navigation', {
    schema: {
      tags: ['navigation'],
      operationId: 'listNavigation',
      summary: 'List the header actions of every published page',
      description: 'Every `header.actions` link, with internal links resolved to the page they point to.',
      response: { 200: NavigationSchema, 304: NotModifiedSchema },
    },
  }, async (request, reply) => {
    const view = fastify.content.viewFor(request);
    return reply.represent(view.responses.get('navigation', () =>
      representJson({ items: [...view.navigation], total: view.navigation.length } satisfies Navigation, view.modified)));
  });
};

export default navigation;
