import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Format } from '../../schemas/format.ts';

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

/** Whether the client asked for the HTML form: `?format=html`, or an Accept header that prefers text/html. */
export function wantsHtml(request: FastifyRequest, format: Format): boolean {
  if (format) return format === 'html';
  const accept = request.headers.accept ?? '';
  return /\btext\/html\b/.test(accept) && !/^\s*application\/(?:json|problem\+json)/.test(accept);
}

/** Sends a rendered HTML fragment (the JSON response schema does not apply to it). */
export function sendHtml(reply: FastifyReply, html: string) {
  return (reply as FastifyReply).type(HTML_CONTENT_TYPE).send(html);
}
