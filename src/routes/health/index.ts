import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { HealthSchema } from '../../../schemas/health.ts';

/** Liveness and the content version, for load balancers and dev servers. */
const health: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/health', {
    schema: {
      tags: ['service'],
      operationId: 'getHealth',
      querystring: NoQuerySchema,
      summary: 'Service health and content version',
      description: 'Liveness for load balancers, and the content version: it changes whenever served content changes. Never cached.',
      response: { 200: HealthSchema },
    },
  }, async (_request, reply) => {
    const { snapshot } = fastify.content;
    const errors = snapshot.diagnostics.filter((d) => d.severity === 'error').length;
    reply.header('cache-control', 'no-store');
    return {
      status: 'ok' as const,
      version: snapshot.version,
      loaded_at: snapshot.loadedAt.toISOString(),
      pages: snapshot.published.pages.length,
      errors,
      warnings: snapshot.diagnostics.length - errors,
    };
  });
};

export default health;
