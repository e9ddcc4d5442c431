import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NavigationSchema } from '../../../schemas/navigation.ts';

/** Call-to-action links declared in page headers. */
const navigation: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/navigation', {
    schema: {
      tags: ['navigation'],
      summary: 'List the header actions of every published page',
      response: { 200: NavigationSchema },
    },
  }, async (request) => {
    const items = fastify.content.viewFor(request).navigation;
    return { items: [...items], total: items.length };
  });
};

export default navigation;
