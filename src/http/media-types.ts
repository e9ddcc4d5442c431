import type { FastifyContextConfig } from 'fastify';
import Negotiator from 'negotiator';
import type { ZodType } from 'zod';

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

/**
 * The media type of `offered` an Accept header prefers (weights and wildcards honoured), or
 * undefined when it admits none of them. No Accept header admits anything: the first is chosen.
 */
export function preferredMediaType(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (!accept) return offered[0];
  return new Negotiator({ headers: { accept } }).mediaType([...offered]);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also answers with its rendered HTML fragment (Accept: text/html or ?format=html). */
    html?: boolean;
    /** The media types the route answers 200 with, when they are not JSON (and HTML). */
    produces?: readonly string[];
    /**
     * The 200 body of each media type of `produces` whose shape is not the route's response
     * schema (the FAQ's JSON-LD form), each a Zod schema registered with an id: the OpenAPI
     * document gives every media type its own schema, so a client reads the JSON form's type alone.
     */
    bodies?: Readonly<Record<string, ZodType>>;
    /**
     * The route sends one of `produces` chosen by what it serves (an asset: its file's type) and
     * answers 406 itself, naming that one type; the negotiation plugin leaves it alone.
     */
    negotiatesItself?: boolean;
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
