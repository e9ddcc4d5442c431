import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema, ReadinessSchema } from '../../../schemas/health.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { problemOf, sendProblem } from '../../http/problem.ts';
import type { ContentStatus } from '../../plugins/content.ts';

/**
 * Liveness (`/health`: the process answers, always 200, at once) and readiness (`/ready`: 503
 * until the first content version is served), for load balancers, orchestrators and dev servers.
 * Both say `degraded`, with the reason and since when, while the content folder cannot be read.
 */
const health: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        operationId: 'getHealth',
        querystring: NoQuerySchema,
        summary: 'Liveness, content version and content health',
        description:
          'Liveness for load balancers: always 200, from the moment the server listens. Also the content version (it changes whenever published content changes) and whether reloads are failing. Never cached.',
        response: { 200: HealthSchema },
      },
    },
    async (_request, reply) => {
      const { snapshot, status } = fastify.content;
      // Counts of public problems only: drafts' (and possible drafts') would reveal that they exist.
      const diagnostics = snapshot.diagnostics.filter((d) => !snapshot.privateFiles.has(d.file));
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      const webhooks = fastify.webhookStatus?.() ?? null;
      reply.header('cache-control', 'no-store');
      return {
        status: status.failure ? ('degraded' as const) : status.state,
        version: snapshot.version,
        loaded_at: status.state === 'starting' ? null : snapshot.loadedAt.toISOString(),
        pages: snapshot.published.pages.length,
        errors,
        warnings: diagnostics.length - errors,
        ...failureOf(status),
        ...(webhooks ? { webhooks } : {}),
      };
    },
  );

  fastify.get(
    '/ready',
    {
      schema: {
        tags: ['service'],
        operationId: 'getReadiness',
        querystring: NoQuerySchema,
        summary: 'Readiness: is content being served',
        description:
          'Readiness for load balancers and orchestrators: 503 problem+json (with Retry-After) until the first content version is served, then 200. ' +
          'While a first start renders its pages, lists and pages are already answered, and the 503 says how many pages are listed. ' +
          'Says `degraded` while the content folder cannot be read (the last good version is still served). Never cached.',
        response: { 200: ReadinessSchema, 503: ProblemSchema },
      },
    },
    async (_request, reply) => {
      const { snapshot, status } = fastify.content;
      reply.header('cache-control', 'no-store');
      if (status.state === 'starting') {
        reply.header('retry-after', '1');
        const detail = status.failure
          ? `The content could not be loaded yet: ${status.failure.detail}.`
          : status.listed !== null
            ? `The content is still loading: ${status.listed} pages are listed and being rendered (pages and lists are served meanwhile).`
            : 'The content is still loading.';
        return sendProblem(reply, problemOf(503, detail, '/ready'));
      }
      return { status: status.failure ? ('degraded' as const) : ('ready' as const), version: snapshot.version, ...failureOf(status) };
    },
  );
};

function failureOf(status: ContentStatus): { problem?: { detail: string; since: string } } {
  return status.failure ? { problem: { detail: status.failure.detail, since: status.failure.since.toISOString() } } : {};
}

export default health;
