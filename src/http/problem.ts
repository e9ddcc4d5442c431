import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { InvalidParam, Problem } from '../../schemas/problem.ts';
import type { ContentView } from '../model/content-view.ts';
import { SearchOverloaded } from '../search/ranking-queue.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * The longest path parameter the router passes on to validation: above every parameter's own
 * `max`, so that a long one is a 400 naming it; only an absurd one is 414 URI Too Long.
 */
export const MAX_PATH_PARAM_LENGTH = 1000;

/** Why a request was answered 414. */
export const PATH_PARAM_TOO_LONG_DETAIL = `A path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters.`;

/** What a client is told about an unexpected error: nothing of its internals. */
export const UNEXPECTED_ERROR_DETAIL = 'The server could not answer this request. It has been logged.';

/** Why a request was answered 503 while the service shuts down. */
export const SHUTTING_DOWN_DETAIL = 'The service is shutting down; retry in a moment.';

/** Seconds a search refused by the ranking queue (503) is asked to wait. */
export const SEARCH_RETRY_AFTER_SECONDS = 1;

/** Why a search was answered 503: the ranking queue is full, or this second's ranking time is spent. */
export const SEARCH_OVERLOADED_DETAIL = `Too many new searches right now; retry in ${SEARCH_RETRY_AFTER_SECONDS} s (queries already answered are still served).`;

/** Milliseconds a search waits for the index of its content version while it is built (after a start, or a version far from the last). */
export const SEARCH_INDEX_WAIT_MS = 3000;

/** Seconds a search answered 503 because its content version's index is still being built is asked to wait. */
export const SEARCH_INDEXING_RETRY_AFTER_SECONDS = 5;

/** Why a search was answered 503: the index of the content version it reads is still being built. */
export const SEARCH_INDEXING_DETAIL = `The search index of this content version is still being built (seconds on a large site, after a start); retry in ${SEARCH_INDEXING_RETRY_AFTER_SECONDS} s.`;

/** Rethrows the ranking queue's refusal as a 503 with Retry-After (set on `reply`), and any other error as it is. */
export function rethrowSearchRefusal(error: unknown, reply: FastifyReply): never {
  if (!(error instanceof SearchOverloaded)) throw error;
  reply.header('retry-after', String(SEARCH_RETRY_AFTER_SECONDS));
  throw new HttpProblem(503, SEARCH_OVERLOADED_DETAIL);
}

/** Waits up to `waitMs` for the view's search index; throws a 503 (Retry-After set on `reply`) if it is not built by then. */
export async function untilSearchable(
  view: Pick<ContentView, 'searchable'>,
  reply: FastifyReply,
  waitMs = SEARCH_INDEX_WAIT_MS,
): Promise<void> {
  if (await view.searchable(waitMs)) return;
  reply.header('retry-after', String(SEARCH_INDEXING_RETRY_AFTER_SECONDS));
  throw new HttpProblem(503, SEARCH_INDEXING_DETAIL);
}

/** Seconds a new image variant refused by the encode queue (503) is asked to wait. */
export const IMAGE_VARIANTS_RETRY_AFTER_SECONDS = 2;

/** Why a request for a new image variant was answered 503: as many are encoding and waiting as the queue holds. */
export const IMAGE_VARIANTS_BUSY_DETAIL = `Too many new image variants are being made right now; retry in ${IMAGE_VARIANTS_RETRY_AFTER_SECONDS} s (variants already made, and files as they are, are still served).`;

/** Why a request for an image variant was answered 501: sharp could not be loaded on this platform. */
export const IMAGE_VARIANTS_UNAVAILABLE_DETAIL =
  'Image variants (w, format) are not available on this server: its image library (sharp) could not be loaded. Ask for the file without them.';

/** Why a request was answered 429. */
export function rateLimitDetail(max: number, retryAfterSeconds: number): string {
  return `Too many requests from this client: at most ${max} a minute; retry in ${retryAfterSeconds} s.`;
}

/** An error a handler raises on purpose; the error handler turns it into problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly invalidParams?: InvalidParam[],
  ) {
    super(detail);
  }
}

/** Builds the RFC 9457 body for a status. */
export function problemOf(status: number, detail: string, instance?: string, invalidParams?: InvalidParam[]): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(instance ? { instance } : {}),
    ...(invalidParams?.length ? { invalid_params: invalidParams } : {}),
  };
}

/** The 400 answer to request parameters that failed validation: each offending one, by name, in `invalid_params`. */
export function invalidParamsProblem(invalid: InvalidParam[], instance?: string): Problem {
  const where = invalid[0]?.in ?? 'query';
  const detail = invalid.map((param) => `${param.name}: ${param.reason}`).join('; ');
  return problemOf(400, `Invalid ${where} parameter${invalid.length > 1 ? 's' : ''}: ${detail}`, instance, invalid);
}

/** Sends a problem+json response. */
export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).header('cache-control', 'no-store').send(JSON.stringify(problem));
}
