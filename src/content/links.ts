import path from 'node:path';
import type { LinkResolution } from '../markdown/rehype-page-links.ts';
import { permalinkKey, withoutBaseUrl } from '../model/permalink.ts';
import { isSameSiteUrl } from './url-policy.ts';
import { assetFileOf, assetUrlOf } from '../assets/asset-url.ts';

/** What link resolution needs to know of a published page. */
export interface LinkTarget {
  file: string;
  slug: string;
  permalink: string;
}

/** Everything links are resolved against: plain data, so render workers can rebuild the resolver. */
export interface LinkContext {
  pages: LinkTarget[];
  /** permalinkKey → location. */
  redirects: [string, string][];
  baseUrl: string;
  /** The images the content folder serves (see src/assets/), and the public URL of the API when set (PUBLIC_URL). */
  assets?: { publicUrl: string; images: Record<string, [number, number]> };
}

/** An image of the content folder as a page shows it: served under /v1/assets/, with its dimensions. */
export interface ResolvedImage {
  file: string;
  url: string;
  width: number;
  height: number;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
const PAGE_LIKE = /(?:\.html?|\.md|\.markdown|\/)$|^[^.]*$/i;

/** Resolves links and action URLs written in pages against the published pages' permalinks and files. */
export function createLinkResolver(context: LinkContext) {
  const byKey = new Map(context.pages.map((page) => [permalinkKey(page.permalink), page]));
  const byFile = new Map(context.pages.map((page) => [page.file, page]));
  // A link to a redirected path reaches the redirect's target page (or leaves the site).
  const redirected = new Set<string>();
  for (const [from, to] of context.redirects) {
    redirected.add(from);
    const target = byKey.get(permalinkKey(to));
    if (target && !byKey.has(from)) byKey.set(from, target);
  }

  /** The page an href points at, seen from the page at `from`; 'not-a-page' for external links, anchors and assets. */
  function findPage(href: string, from: { file: string; permalink: string }): LinkTarget | 'not-a-page' | null {
    // Another host however it is written (`//host`, `/\host`, a scheme behind spaces) is never a page of this site.
    if (EXTERNAL.test(href) || href.startsWith('#') || href === '' || !isSameSiteUrl(href)) return 'not-a-page';
    const [target] = href.split(/[?#]/);
    if (/\.(md|markdown)$/i.test(target)) {
      const file = path.posix.normalize(path.posix.join(path.posix.dirname(from.file), target));
      return byFile.get(file) ?? null;
    }
    const absolute = withoutBaseUrl(new URL(target, `https://site.invalid${from.permalink}`).pathname, context.baseUrl);
    if (!PAGE_LIKE.test(absolute)) return 'not-a-page';
    const key = permalinkKey(absolute);
    return byKey.get(key) ?? (redirected.has(key) ? 'not-a-page' : null);
  }

  /** How an href in a page body renders: rewritten to a permalink, missing, or left alone. */
  function resolveLink(href: string, from: { file: string; permalink: string }): LinkResolution {
    const found = findPage(href, from);
    if (found === 'not-a-page') return { kind: 'external' };
    if (!found) return { kind: 'missing' };
    const fragment = href.includes('#') ? href.slice(href.indexOf('#')) : '';
    return { kind: 'page', href: found.permalink + fragment };
  }

  /**
   * The served image an `src` (or a front-matter image path, `relativeTo: 'site'`) names, seen from
   * the page at `from`; null when it names no image of the content folder.
   */
  function resolveImage(src: string, from: { permalink: string }, relativeTo: 'page' | 'site' = 'page'): ResolvedImage | null {
    if (!context.assets) return null;
    const file = assetFileOf(src, from, context.baseUrl, relativeTo);
    const dimensions = file === null ? undefined : context.assets.images[file];
    if (!file || !dimensions) return null;
    return { file, url: assetUrlOf(file, context.assets.publicUrl), width: dimensions[0], height: dimensions[1] };
  }

  return { findPage, resolveLink, resolveImage };
}

export type LinkResolver = ReturnType<typeof createLinkResolver>;
