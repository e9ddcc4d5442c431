import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NavigationSchema, type Navigation } from '../../../schemas/navigation.ts';
import { representJson } from '../../http/representation.ts';

/** Call-to-action links declared in page headers. */
const navigation: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/navigation', {
    schema: {
      tags: ['navigation'],
      summary: 'List the header actions of every published page',
      response: { 200: NavigationSchema },
    },
  }, async (request, reply) => {
    const view = fastify.content.viewFor(request);
    return reply.represent(view.responses.get('navigation', () =>
      representJson({ items: [...view.navigation], total: view.navigation.length } satisfies Navigation, view.modified)));
  });
};

export default navigation;
