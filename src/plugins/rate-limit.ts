import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { HttpProblem, rateLimitDetail } from '../http/problem.ts';
import { UNLIMITED_ROUTES } from '../openapi/responses.ts';

/** Requests per minute per client; 0 or absent: no limit. */
export interface RateLimitOptions {
  /** Every route but /health (RATE_LIMIT). */
  max?: number;
  /** /v1/search and /v1/faq (their `q` ranks pages): RATE_LIMIT_SEARCH. */
  search?: number;
  /** /v1/diagnostics: RATE_LIMIT_DIAGNOSTICS. */
  diagnostics?: number;
}

/** The routes whose own limit applies, when it is set. */
const EXPENSIVE_ROUTES: Record<string, keyof RateLimitOptions> = {
  '/v1/search': 'search',
  '/v1/faq': 'search',
  '/v1/diagnostics': 'diagnostics',
};

const WINDOW_MS = 60_000;

/**
 * Optional per-client rate limits (@fastify/rate-limit, in memory): a client is its address
 * (`request.ip`, from X-Forwarded-For only with TRUST_PROXY). Over the limit, a 429
 * problem+json with Retry-After; every limited response carries the IETF RateLimit-Limit,
 * -Remaining and -Reset headers. Expensive routes may have a lower limit of their own.
 */
export default fp<RateLimitOptions>(
  async (fastify, options) => {
    if (!options.max && !options.search && !options.diagnostics) return;
    // Before @fastify/rate-limit's own onRoute hook, which reads `config.rateLimit`.
    fastify.addHook('onRoute', (route) => {
      if (UNLIMITED_ROUTES.has(route.url)) {
        route.config = { ...route.config, rateLimit: false };
        return;
      }
      const own = options[EXPENSIVE_ROUTES[route.url] ?? 'max'];
      if (own) route.config = { ...route.config, rateLimit: { max: own, timeWindow: WINDOW_MS } };
    });
    await fastify.register(rateLimit, {
      global: Boolean(options.max),
      max: options.max || Number.MAX_SAFE_INTEGER,
      timeWindow: WINDOW_MS,
      enableDraftSpec: true,
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) => new HttpProblem(429, rateLimitDetail(context.max, Math.ceil(context.ttl / 1000))),
    });
  },
  { name: 'rate-limit' },
);
