import type { Snapshot } from '../model/snapshot.ts';

/** What to tell whoever runs the service when the site's public URL is unknown. */
export const SITE_URL_MISSING =
  'The public URL of the site is unknown, so no absolute URL can be written: set SITE_URL (e.g. SITE_URL=https://www.example.org), ' +
  'or `url` in the Jekyll _config.yml.';

/**
 * The public base URL of the site, without a trailing slash, for absolute URLs: SITE_URL when it
 * is configured, else the Jekyll site's `url` with its `baseurl`, else none. Never the request's
 * Host header: a response built from it would let one request poison a shared cache (a CDN keyed
 * by path) with links to any host.
 */
export function siteBaseUrl(configured: string | undefined, snapshot: Snapshot): string | undefined {
  if (configured) return configured.replace(/\/+$/, '');
  const baseUrl = snapshot.baseUrl.replace(/\/+$/, '');
  const siteUrl = snapshot.site?.url;
  if (typeof siteUrl === 'string' && /^https?:\/\/[^/\s]+/i.test(siteUrl)) return `${siteUrl.replace(/\/+$/, '')}${baseUrl}`;
  return undefined;
}
