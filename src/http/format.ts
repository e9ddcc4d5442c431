import type { FastifyRequest } from 'fastify';
import type { Format } from '../../schemas/format.ts';

/** Whether the client asked for the HTML form: `?format=html`, or an Accept header that prefers text/html. */
export function wantsHtml(request: FastifyRequest, format: Format): boolean {
  if (format) return format === 'html';
  const accept = request.headers.accept ?? '';
  return /\btext\/html\b/.test(accept) && !/^\s*application\/(?:json|problem\+json)/.test(accept);
}

