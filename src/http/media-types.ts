import type { FastifyContextConfig } from 'fastify';

/** What every JSON resource is sent as. */
export const JSON_MEDIA_TYPE = 'application/json';
/** What routes with an HTML form send for `Accept: text/html` or `?format=html`. */
export const HTML_MEDIA_TYPE = 'text/html';
/** RFC 9457: the media type of every error. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Why a request was answered 406. */
export function notAcceptableDetail(offered: readonly string[]): string {
  return `This resource is available as ${offered.join(' or ')}; the Accept header admits none of them.`;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also answers with its rendered HTML fragment (Accept: text/html or ?format=html). */
    html?: boolean;
    /** The media types the route answers 200 with, when they are not JSON (and HTML). */
    produces?: readonly string[];
  }
}

/**
 * The media types a route answers 200 with, read from its `config`. Content negotiation (406) and
 * the OpenAPI document both come from this one answer, so they cannot disagree.
 */
export function mediaTypesOf(config: FastifyContextConfig | undefined): readonly string[] {
  if (config?.produces) return config.produces;
  return config?.html ? [JSON_MEDIA_TYPE, HTML_MEDIA_TYPE] : [JSON_MEDIA_TYPE];
}
