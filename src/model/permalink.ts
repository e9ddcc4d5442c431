import { decodedPath } from '../../schemas/front-matter.ts';

/**
 * Permalink rules shared by the loader and the resolver. Jekyll serves `/about/` from
 * about/index.html and `/about.html` also as `/about` (GitHub Pages), so lookups compare a
 * canonical key: no trailing slash, no `.html`, no `index`.
 */

/** The public path of a permalink as written in front matter: leading slash, no double slashes. */
export function normalizePermalink(permalink: string): string {
  const withSlash = permalink.startsWith('/') ? permalink : `/${permalink}`;
  return withSlash.replace(/\/{2,}/g, '/');
}

/** Keys already worked out: every load asks again for the same 10,000 permalinks. */
const knownKeys = new Map<string, string>();

/** The key two paths share when a Jekyll site would serve them as the same page. */
export function permalinkKey(urlPath: string): string {
  let key = knownKeys.get(urlPath);
  if (key === undefined) {
    if (knownKeys.size >= 100_000) knownKeys.clear();
    key = computePermalinkKey(urlPath);
    knownKeys.set(urlPath, key);
  }
  return key;
}

/**
 * {@link permalinkKey} without the memo, for paths that come from requests: anyone can send a
 * new spelling with each request, and none of them may stay in memory.
 */
export function permalinkKeyOf(urlPath: string): string {
  return computePermalinkKey(urlPath);
}

/**
 * A path spelled as most sites' permalinks are: `/`-separated segments of ASCII letters, digits,
 * `-` and `_`, perhaps a trailing slash. Nothing in it to decode, collapse or strip but that
 * slash: its key is found without the rules' regular expressions (at 10,000 pages, about 10 ms of
 * each start's first load).
 */
const PLAIN_PATH = /^(?:\/[\w-]+)+\/?$/;

function computePermalinkKey(urlPath: string): string {
  if (PLAIN_PATH.test(urlPath)) {
    const key = urlPath.endsWith('/') ? urlPath.slice(0, -1) : urlPath;
    return key.toLowerCase() === '/index' ? '/' : key;
  }
  let key = normalizePermalink(decodedPath(urlPath.split(/[?#]/)[0]));
  key = key.replace(/\/index\.html?$/, '/').replace(/\.html?$/, '');
  if (key.length > 1) key = key.replace(/\/+$/, '');
  return key.toLowerCase() === '/index' ? '/' : key;
}

/** The permalink a file gets when its front matter has none: Jekyll's `/:path:output_ext` for pages. */
export function defaultPermalink(relativeFile: string): string {
  const withoutExt = relativeFile.replace(/\.[^./]+$/, '');
  if (withoutExt === 'index') return '/';
  if (withoutExt.endsWith('/index')) return `/${withoutExt.slice(0, -'index'.length)}`;
  return `/${withoutExt}.html`;
}

/** A path as the site's pages know it: without the site's baseurl (`/docs/about/` → `/about/` when baseurl is /docs). */
export function withoutBaseUrl(urlPath: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (!base || !urlPath.startsWith(base)) return urlPath;
  const rest = urlPath.slice(base.length);
  return rest === '' ? '/' : rest.startsWith('/') ? rest : urlPath;
}
