import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import type { Format } from '../../schemas/format.ts';
import { HTML_MEDIA_TYPE, JSON_MEDIA_TYPE } from './media-types.ts';

const OFFERED = [JSON_MEDIA_TYPE, HTML_MEDIA_TYPE];

/**
 * Whether the client asked for the HTML form: `?format=html`, or an Accept header that prefers
 * text/html over JSON (weights and wildcards honoured: `text/*` is HTML, `*\/*` is JSON).
 */
export function wantsHtml(request: FastifyRequest, format: Format): boolean {
  if (format) return format === 'html';
  const accept = request.headers.accept;
  if (!accept) return false;
  return new Negotiator({ headers: { accept } }).mediaType(OFFERED) === HTML_MEDIA_TYPE;
}
