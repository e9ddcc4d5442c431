import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { InvalidParam } from '../../schemas/problem.ts';
import { allowedMethods } from '../http/allowed-methods.ts';
import { invalidParamsOf } from '../http/invalid-params.ts';
import { PROBLEM_MEDIA_TYPE } from '../http/media-types.ts';
import {
  HttpProblem,
  PATH_PARAM_TOO_LONG_DETAIL,
  PROBLEM_CONTENT_TYPE,
  SHUTTING_DOWN_DETAIL,
  UNEXPECTED_ERROR_DETAIL,
  invalidParamsProblem,
  problemOf,
  sendProblem,
} from '../http/problem.ts';

const LOCATIONS: Record<string, InvalidParam['in']> = { querystring: 'query', params: 'path', headers: 'header', body: 'body' };

/**
 * One error shape for the whole API: RFC 9457 problem+json from one error handler, for
 * validation errors (naming each parameter), unknown routes (404), methods a path does not take
 * (405 with Allow) and anything unexpected. Clients never see stack traces, file paths or library
 * internals; unexpected errors are logged and answered with a plain 500. Errors raised before
 * routing go through `answerFrameworkError` (Fastify's `frameworkErrors`, see build-app.ts).
 */
export default fp(
  async (fastify) => {
    // While shutting down, requests on kept-alive connections get a 503 in the API's one error shape.
    let closing = false;
    fastify.addHook('preClose', async () => {
      closing = true;
    });
    fastify.addHook('onRequest', (request, reply, done) => {
      if (!closing) return done();
      reply.header('connection', 'close').header('retry-after', '1');
      sendProblem(reply, problemOf(503, SHUTTING_DOWN_DETAIL, request.url.split('?')[0]));
    });

    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      const instance = request.url.split('?')[0];
      if (error instanceof HttpProblem) {
        // A 503 says when to try again, whichever route raised it (most set their own).
        if (error.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
        return sendProblem(reply, problemOf(error.status, error.detail, instance, error.invalidParams));
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = LOCATIONS[error.validationContext ?? 'querystring'] ?? 'query';
        // Typed here: the library's issue type imports `fastify/types/schema`, an extensionless path NodeNext does not resolve.
        const validation = error.validation as FastifySchemaValidationError[];
        const invalid = invalidParamsOf(validation, where, request.query as Record<string, unknown> | undefined);
        return sendProblem(reply, invalidParamsProblem(invalid, instance));
      }
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) {
        request.log.error({ err: error }, 'unexpected error');
        return sendProblem(reply, problemOf(500, UNEXPECTED_ERROR_DETAIL, instance));
      }
      // Errors Fastify raises itself (bad JSON, unsupported media type...): keep the status, not internals.
      return sendProblem(reply, problemOf(status, publicMessage(error), instance));
    });

    // Plugins that answer an error themselves (a CORS preflight that is not one, say) still answer problem+json.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode < 400 || String(reply.getHeader('content-type') ?? '').startsWith(PROBLEM_MEDIA_TYPE))
        return done(null, payload);
      reply.type(PROBLEM_CONTENT_TYPE);
      done(null, JSON.stringify(problemOf(reply.statusCode, 'The request could not be processed.', request.url.split('?')[0])));
    });

    fastify.setNotFoundHandler((request, reply) => {
      const instance = request.url.split('?')[0];
      const allowed = allowedMethods(fastify, instance);
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        reply.header('allow', allowed.join(', '));
        return sendProblem(reply, problemOf(405, `${instance} answers ${allowed.join(', ')}, not ${request.method}.`, instance));
      }
      return sendProblem(reply, problemOf(404, `No route ${request.method} ${instance}. See /docs for the routes of this API.`, instance));
    });
  },
  { name: 'problems' },
);

/**
 * Fastify's `frameworkErrors`: errors raised before a route is found (a broken percent-encoding,
 * an overlong path parameter), answered as problem+json like any other.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const instance = request.url.split('?')[0];
  const status = error.statusCode ?? 400;
  const detail =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The URL is not valid: a percent-encoded sequence in it is broken.'
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? PATH_PARAM_TOO_LONG_DETAIL
        : UNEXPECTED_ERROR_DETAIL;
  sendProblem(reply, problemOf(status, detail, instance));
}

function publicMessage(error: FastifyError): string {
  return error.code?.startsWith('FST_') ? error.message.replace(/\s*\(.*\)$/, '') : 'The request could not be processed.';
}
