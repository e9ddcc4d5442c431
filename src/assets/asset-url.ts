import { withoutBaseUrl } from '../model/permalink.ts';
import { assetMediaType } from './asset-policy.ts';

/** Where assets are served: GET /v1/assets/{path}. */
export const ASSET_ROUTE_PREFIX = '/v1/assets/';

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/|\\)/i;

/**
 * The content-folder file an image or file URL written in a page names, or null when it names
 * none that could be served (remote URLs, fragments, hidden or `_` paths, page sources).
 * `relativeTo` decides what a path without a leading `/` starts at: the page's URL (`page`, as a
 * browser reads a body's `<img src>`) or the site root (`site`, as Jekyll's `relative_url` reads
 * front matter such as `header.overlay_image`). The site's `baseurl` is taken off either way.
 */
export function assetFileOf(url: string, from: { permalink: string }, baseUrl: string, relativeTo: 'page' | 'site'): string | null {
  const target = url.trim().split(/[?#]/)[0];
  if (target === '' || EXTERNAL.test(target)) return null;
  let pathname: string;
  try {
    const start = relativeTo === 'site' && !target.startsWith('/') ? '/' : from.permalink;
    pathname = new URL(target, `https://site.invalid${start.startsWith('/') ? start : `/${start}`}`).pathname;
  } catch {
    return null;
  }
  const relative = withoutBaseUrl(pathname, baseUrl).replace(/^\/+/, '');
  let file: string;
  try {
    file = decodeURIComponent(relative);
  } catch {
    return null;
  }
  return assetMediaType(file) === null ? null : file;
}

/** The URL an asset is served at: under `publicUrl` (PUBLIC_URL, absolute) when set, else root-relative. */
export function assetUrlOf(file: string, publicUrl = ''): string {
  return `${publicUrl.replace(/\/+$/, '')}${ASSET_ROUTE_PREFIX}${file.split('/').map(encodeURIComponent).join('/')}`;
}
