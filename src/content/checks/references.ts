import type { PageFacts, WrittenReference } from '../../model/page-facts.ts';

/** A URL written in a page body: a link's href or an embedded file's src, with Jekyll's site URL expressions expanded. */
export type Reference = WrittenReference;

const SITE_BASEURL = /\{\{-?\s*site\.baseurl\s*-?\}\}/g;
const RELATIVE_URL_FILTER = /\{\{-?\s*(['"])([^'"]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}/g;

/** A link whose last path segment names a page rather than a file (`/about/`, `/about`, `about.html`, `x.md`). */
export const PAGE_LIKE = /(?:^|\/)(?:[^/.]*|[^/]*\.(?:html?|md|markdown))$/i;

/**
 * Every link and embedded file of a page that could point at something missing, in document
 * order. Bodies are Liquid templates, so a URL may be written `{{ site.baseurl }}/images/x.png`
 * or `{{ '/images/x.png' | relative_url }}`: those two forms are expanded; a URL with any other
 * template syntax is skipped, since only the rendered page knows what it becomes.
 */
export function referencesOf(facts: PageFacts, baseUrl: string): Reference[] {
  const references: Reference[] = [];
  for (const written of facts.references) {
    const url = expandSiteUrls(written.url, baseUrl);
    if (url !== null) references.push({ ...written, url });
  }
  return references;
}

/**
 * Whether a URL as written (trimmed, not yet expanded) could point at something missing: a link
 * with a #fragment, a file, or one whose templates are expanded later. A URL off the site, or a
 * plain link to a page (a broken one is the loader's `broken-link`), is never checked, so the
 * facts of a page need not keep it. Expanding a site URL expression never makes a URL leave
 * the site, lose its `#` or name a page, so this answers the same before and after.
 */
export function mayNameMissingTarget(tagName: string, url: string): boolean {
  if (isExternalUrl(url)) return false;
  if (tagName !== 'a' || url.includes('#') || /\{\{|\{%/.test(url)) return true;
  return !PAGE_LIKE.test(pathOf(url));
}

function expandSiteUrls(url: string, baseUrl: string): string | null {
  const base = baseUrl.replace(/\/+$/, '');
  const expanded = url.replace(SITE_BASEURL, base).replace(RELATIVE_URL_FILTER, (_, _quote, path: string) => `${base}${path.startsWith('/') ? '' : '/'}${path}`);
  return /\{\{|\{%/.test(expanded) ? null : expanded;
}

/** A URL that leaves the site: any scheme (https:, mailto:…) or protocol-relative. */
export function isExternalUrl(url: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url);
}

/** A URL's path, without its query or fragment. */
export function pathOf(url: string): string {
  return url.split(/[?#]/)[0];
}

/** Percent-decodes a URL part, leaving it as it is when it is not valid percent-encoding. */
export function decodeUrlPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
