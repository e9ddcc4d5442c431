import { STATUS_CODES } from 'node:http';
import type { FastifyContextConfig } from 'fastify';
import { globalRegistry, z } from 'zod';
import { HtmlFragmentSchema } from '../../schemas/format.ts';
import { ProblemSchema, type InvalidParam, type Problem } from '../../schemas/problem.ts';
import { HTML_MEDIA_TYPE, PROBLEM_MEDIA_TYPE, mediaTypesOf, notAcceptableDetail } from '../http/media-types.ts';
import {
  IMAGE_VARIANTS_UNAVAILABLE_DETAIL,
  MAX_PATH_PARAM_LENGTH,
  PATH_PARAM_TOO_LONG_DETAIL,
  SHUTTING_DOWN_DETAIL,
  UNEXPECTED_ERROR_DETAIL,
  invalidParamsProblem,
  problemOf,
  rateLimitDetail,
} from '../http/problem.ts';
import { componentRef } from './components.ts';

/** A route as the OpenAPI transform sees it: its URL, its Zod schemas and its config. */
export interface DocumentedRoute {
  url: string;
  schema: { querystring?: unknown; params?: unknown; headers?: unknown; body?: unknown; response?: Record<string, unknown> };
  config?: FastifyContextConfig;
}

type JsonSchema = Record<string, unknown>;
interface MediaTypeObject {
  schema: JsonSchema;
  example?: unknown;
}
/** A response header as @fastify/swagger takes it: a JSON Schema with a description (it writes the OpenAPI header object). */
type HeaderObject = JsonSchema & { description: string };
interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
  type?: 'null';
}

/** What each error status means for a client, whatever the route. */
const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'Bad Request: a parameter is not valid. `invalid_params` names each one and says what is accepted.',
  404: 'Not Found: nothing is published under this id.',
  406: 'Not Acceptable: the Accept header admits none of the media types this route answers with.',
  414: `URI Too Long: a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters.`,
  422: 'Unprocessable Content: no variant (`w`, `format`) can be made of this image, which has more pixels than IMAGE_MAX_MEGAPIXELS allows (a decompression bomb, say), cannot be decoded, or took too long to encode. The file itself is still served without `w` and `format`.',
  429: 'Too Many Requests: this client sent more requests in the last minute than the rate limit (RATE_LIMIT, off unless configured) allows; retry after Retry-After seconds.',
  500: 'Internal Server Error: something unexpected failed. It is logged on the server; no details are sent.',
  501: 'Not Implemented: image variants (`w`, `format`) are not available on this server (its image library, sharp, could not be loaded on this platform). The file itself is still served without them.',
  503: 'Service Unavailable: the content is still loading after a start (/ready says when it is served), the service is shutting down, (for /v1/events) as many streams are open as it allows, (for /v1/search, and /v1/faq with `q`) the search index of the content version is still being built (after a start) or new queries have had their share of ranking time or fill the ranking queue, or (for image variants of /v1/assets) as many new variants are encoding and waiting as the encode queue holds; retry after Retry-After seconds.',
};

const count = (description: string): HeaderObject => ({ type: 'integer', minimum: 0, description });
/** The headers of a 429 and a 503 (IETF RateLimit header fields, draft 7, as @fastify/rate-limit sends them). */
const ERROR_HEADERS: Record<string, Record<string, HeaderObject>> = {
  429: {
    'Retry-After': count('Seconds until the client may send requests again.'),
    'RateLimit-Limit': count('Requests a client may send per window (one minute).'),
    'RateLimit-Remaining': count('Requests left in the current window.'),
    'RateLimit-Reset': count('Seconds until the window resets.'),
  },
  503: { 'Retry-After': count('Seconds to wait before retrying.') },
};

/** Routes never rate limited: load balancers' health checks must not be refused. */
export const UNLIMITED_ROUTES = new Set(['/health', '/ready']);

/**
 * The statuses a route answers: those it declares, plus those the plugins every request goes
 * through may answer: 400 when it validates a parameter (problems), 414 when it has path
 * parameters (the router), 406 (negotiation) and 500 (problems). All of them are problem+json,
 * so their shape is ProblemSchema.
 */
export function withCommonResponses(route: DocumentedRoute): Record<string, unknown> {
  const { querystring, params, headers, body, response } = route.schema;
  const validates = Boolean(querystring || params || headers || body);
  return {
    ...response,
    ...(validates ? { 400: ProblemSchema } : {}),
    ...(params ? { 414: ProblemSchema } : {}),
    406: ProblemSchema,
    ...(UNLIMITED_ROUTES.has(route.url) ? {} : { 429: ProblemSchema }),
    500: ProblemSchema,
    503: ProblemSchema,
  };
}

/**
 * OpenAPI response objects, in status order, for the JSON Schemas fastify-type-provider-zod made
 * of the route's Zod schemas: success in every media type the route answers with (`config`),
 * errors as application/problem+json, each with a description and an example.
 */
export function documentResponses(
  route: DocumentedRoute,
  zodResponses: Record<string, unknown>,
  jsonResponses: Record<string, JsonSchema>,
): Record<string, ResponseObject> {
  const statuses = Object.keys(jsonResponses).sort();
  return Object.fromEntries(
    statuses.map((status): [string, ResponseObject] => {
      const json = jsonResponses[status];
      const meta = globalRegistry.get(zodResponses[status] as z.ZodType);
      // `type: 'null'` tells @fastify/swagger the response has no body (it keeps only the description).
      if (json.type === 'null') return [status, { type: 'null', description: meta?.description ?? STATUS_CODES[status] ?? status }];
      if (Number(status) >= 400) {
        return [
          status,
          {
            description: ERROR_DESCRIPTIONS[status] ?? STATUS_CODES[status] ?? status,
            ...(ERROR_HEADERS[status] ? { headers: ERROR_HEADERS[status] } : {}),
            content: { [PROBLEM_MEDIA_TYPE]: { schema: json, example: problemExample(Number(status), route) } },
          },
        ];
      }
      const content = Object.fromEntries(
        mediaTypesOf(route.config).map((mediaType): [string, MediaTypeObject] => {
          const own = mediaType === HTML_MEDIA_TYPE ? HtmlFragmentSchema : route.config?.bodies?.[mediaType];
          if (own) return [mediaType, { schema: componentRef(own), example: globalRegistry.get(own)?.example }];
          return [mediaType, { schema: json, ...(meta?.example === undefined ? {} : { example: meta.example }) }];
        }),
      );
      return [status, { description: meta?.description ?? STATUS_CODES[status] ?? status, content }];
    }),
  );
}

/** What the route answers with this status, for the route's example URL. */
function problemExample(status: number, route: DocumentedRoute): Problem {
  const instance = exampleUrl(route, (name) => (status === 404 ? `no-such-${name}` : undefined));
  if (status === 400) {
    const invalid = invalidParamExample(route);
    if (invalid) return invalidParamsProblem([invalid], instance);
  }
  if (status === 404) return problemOf(404, `Nothing is published at ${instance}.`, instance);
  if (status === 414) return problemOf(414, PATH_PARAM_TOO_LONG_DETAIL, instance);
  if (status === 406) {
    // A route that negotiates itself names the one type of the resource asked for: the first, in the example.
    const offered = mediaTypesOf(route.config);
    return problemOf(406, notAcceptableDetail(route.config?.negotiatesItself ? offered.slice(0, 1) : offered), instance);
  }
  if (status === 500) return problemOf(500, UNEXPECTED_ERROR_DETAIL, instance);
  if (status === 501) return problemOf(501, IMAGE_VARIANTS_UNAVAILABLE_DETAIL, instance);
  if (status === 422)
    return problemOf(
      422,
      `No variant can be made of "${instance.replace(/^.*?\/assets\//, '')}": it is 20000×20000 pixels (400 megapixels); variants are made of images of at most 50 megapixels (IMAGE_MAX_MEGAPIXELS).`,
      instance,
    );
  if (status === 429) return problemOf(429, rateLimitDetail(60, 60), instance);
  if (status === 503) return problemOf(503, SHUTTING_DOWN_DETAIL, instance);
  return problemOf(status, STATUS_CODES[status] ?? 'Error', instance);
}

/**
 * The first parameter of the route sent empty, and what validation says of it: the same
 * reason the API gives for `?limit=`, say, since it comes from the same Zod schema.
 */
function invalidParamExample(route: DocumentedRoute): InvalidParam | undefined {
  const candidates: [InvalidParam['in'], unknown][] = [
    ['query', route.schema.querystring],
    ['path', route.schema.params],
  ];
  for (const [where, schema] of candidates) {
    if (!(schema instanceof z.ZodObject)) continue;
    const [name] = Object.keys(schema.shape);
    if (name === undefined) continue;
    const issue = schema.safeParse({ [name]: '' }).error?.issues.find((candidate) => candidate.path[0] === name);
    if (issue) return { in: where, name, reason: issue.message };
  }
  return undefined;
}

/** The route's URL with its path parameters filled in from their examples (or `fill`). */
function exampleUrl(route: DocumentedRoute, fill: (name: string) => string | undefined): string {
  const shape = route.schema.params instanceof z.ZodObject ? (route.schema.params.shape as Record<string, z.ZodType>) : {};
  // A trailing wildcard (`/v1/assets/*`) is the parameter OpenAPI calls `path`: its example keeps its slashes.
  return route.url.replace(/:(\w+)|\*$/g, (_, param: string | undefined) => {
    const name = param ?? 'path';
    const example = (globalRegistry.get(shape[param ?? '*'])?.examples as unknown[] | undefined)?.[0];
    const value = fill(name) ?? (typeof example === 'string' || typeof example === 'number' ? String(example) : name);
    return param ? encodeURIComponent(value) : value.split('/').map(encodeURIComponent).join('/');
  });
}
