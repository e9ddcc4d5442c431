import type { FastifyRequest } from 'fastify';
import type { Snapshot } from '../content/snapshot.ts';

/** A Host header we are willing to write into a sitemap: a name or an address, and a port. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The public base URL of the site, without a trailing slash, for absolute URLs: SITE_URL when it
 * is configured, else the Jekyll site's `url` with its `baseurl`, else the host the request was
 * sent to (with the baseurl).
 */
export function siteBaseUrl(configured: string | undefined, snapshot: Snapshot, request: FastifyRequest): string {
  if (configured) return configured.replace(/\/+$/, '');
  const baseUrl = snapshot.baseUrl.replace(/\/+$/, '');
  const siteUrl = snapshot.site?.url;
  if (typeof siteUrl === 'string' && /^https?:\/\/[^/\s]+/i.test(siteUrl)) return `${siteUrl.replace(/\/+$/, '')}${baseUrl}`;
  const host = PLAIN_HOST.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}${baseUrl}`;
}
