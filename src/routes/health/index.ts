import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema } from '../../../schemas/health.ts';

/** Liveness and the content version, for load balancers and dev servers. */
const health: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/health', {
    schema: {
      tags: ['service'],
      operationId: 'getHealth',
      summary: 'Service health and content version',
      description: 'Liveness for load balancers, and the content version: it changes whenever served content changes. Never cached.',
      response: { 200: HealthSchema },
    },
  }, async (_request, reply) => {
    const { snapshot } = fastify.content;
    // Counts of public problems only: drafts' (and possible drafts') would reveal that they exist.
    const diagnostics = snapshot.diagnostics.filter((d) => !snapshot.privateFiles.has(d.file));
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    reply.header('cache-control', 'no-store');
    return {
      status: 'ok' as const,
      version: snapshot.version,
      loaded_at: snapshot.loadedAt.toISOString(),
      pages: snapshot.published.pages.length,
      errors,
      warnings: diagnostics.length - errors,
    };
  });
};

export default health;
