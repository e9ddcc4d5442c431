import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { InvalidParam } from '../../schemas/problem.ts';
import { HttpProblem, problemOf, sendProblem } from '../http/problem.ts';

const LOCATIONS: Record<string, InvalidParam['in']> = { querystring: 'query', params: 'path', headers: 'header', body: 'body' };

/**
 * One error shape for the whole API: RFC 9457 problem+json from one error handler, for
 * validation errors, unknown routes and anything unexpected. Clients never see stack traces,
 * file paths or library internals; unexpected errors are logged and answered with a plain 500.
 */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      const instance = request.url.split('?')[0];
      if (error instanceof HttpProblem) {
        return sendProblem(reply, problemOf(error.status, error.detail, instance, error.invalidParams));
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = LOCATIONS[error.validationContext ?? 'querystring'] ?? 'query';
        const invalid: InvalidParam[] = error.validation.map((issue) => ({
          in: where,
          name: issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || String((issue.params as { issue?: { keys?: string[] } })?.issue?.keys?.[0] ?? 'request'),
          reason: issue.message ?? 'is not valid',
        }));
        const detail = invalid.map((p) => `${p.name}: ${p.reason}`).join('; ');
        return sendProblem(reply, problemOf(400, `Invalid ${where} parameter${invalid.length > 1 ? 's' : ''}: ${detail}`, instance, invalid));
      }
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) {
        request.log.error({ err: error }, 'unexpected error');
        return sendProblem(reply, problemOf(500, 'The server could not answer this request. It has been logged.', instance));
      }
      // Errors Fastify raises itself (bad JSON, unsupported media type...): keep the status, not internals.
      return sendProblem(reply, problemOf(status, publicMessage(error), instance));
    });

    fastify.setNotFoundHandler((request, reply) => {
      const instance = request.url.split('?')[0];
      return sendProblem(reply, problemOf(404, `No route ${request.method} ${instance}. See /docs for the routes of this API.`, instance));
    });
  },
  { name: 'problems' },
);

function publicMessage(error: FastifyError): string {
  return error.code?.startsWith('FST_') ? error.message.replace(/\s*\(.*\)$/, '') : 'The request could not be processed.';
}
