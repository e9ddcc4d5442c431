import path from 'node:path';
import type { LinkResolution } from '../markdown/rehype-page-links.ts';
import { permalinkKey, withoutBaseUrl } from '../model/permalink.ts';
import { isSameSiteUrl } from './url-policy.ts';
import { assetFileOf, assetUrlOf } from '../assets/asset-url.ts';
import type { Slice } from './time-slice.ts';

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
/** A root-relative path (not `//host` nor `/\\host`): what it names is the same from every page, unless it names a source file. */
const FROM_ANY_PAGE = /^\/(?![/\\])(?![^?#]*\.(?:md|markdown)(?:[?#]|$))/i;
/**
 * Answers a resolver remembers for hrefs whose answer does not depend on the page they are written
 * in: every page of a site links its header actions, menus and images by the same few paths, and
 * each answer takes URL parsing (some 40 ms of a warm start's 10,000 pages). A resolver lives for
 * one link context; past this many, answers are computed each time.
 */
const MAX_REMEMBERED = 10_000;
const PAGE_LIKE = /(?:\.html?|\.md|\.markdown|\/)$|^[^.]*$/i;

/** What a resolver looks pages up in: by permalink key (redirected paths included) and by file. */
interface LinkMaps {
  byKey: Map<string, LinkTarget>;
  byFile: Map<string, LinkTarget>;
  /** Permalink keys of redirects: a link to one that reaches no page leaves the site. */
  redirected: Set<string>;
}

/**
 * Fills the maps one page or redirect at a time, pausing after each: a worker runs it through at
 * once ({@link createLinkResolver}), the main thread a slice at a time ({@link createLinkResolverInSlices}).
 */
function* fillLinkMaps(context: LinkContext, maps: LinkMaps): Generator<void, void, void> {
  for (const page of context.pages) {
    maps.byKey.set(permalinkKey(page.permalink), page);
    maps.byFile.set(page.file, page);
    yield;
  }
  // A link to a redirected path reaches the redirect's target page (or leaves the site).
  for (const [from, to] of context.redirects) {
    maps.redirected.add(from);
    const target = maps.byKey.get(permalinkKey(to));
    if (target && !maps.byKey.has(from)) maps.byKey.set(from, target);
    yield;
  }
}

const emptyLinkMaps = (): LinkMaps => ({ byKey: new Map(), byFile: new Map(), redirected: new Set() });

/** Resolves links and action URLs written in pages against the published pages' permalinks and files. */
export function createLinkResolver(context: LinkContext) {
  const maps = emptyLinkMaps();
  const steps = fillLinkMaps(context, maps);
  while (!steps.next().done) continue;
  return resolverOf(context, maps);
}

/**
 * {@link createLinkResolver} on the main thread: the maps of 10,000 pages take about 13 ms to
 * fill, so they are filled in slices, handing the event loop back between them.
 */
export async function createLinkResolverInSlices(context: LinkContext, slice: Slice): Promise<LinkResolver> {
  const maps = emptyLinkMaps();
  const steps = fillLinkMaps(context, maps);
  while (!steps.next().done) {
    const pause = slice();
    if (pause) await pause;
  }
  return resolverOf(context, maps);
}

function resolverOf(context: LinkContext, { byKey, byFile, redirected }: LinkMaps) {
  const pagesFound = new Map<string, LinkTarget | 'not-a-page' | null>();
  const imagesFound = new Map<string, ResolvedImage | null>();
  const remember = <T>(answers: Map<string, T>, key: string, answer: () => T): T => {
    if (answers.has(key)) return answers.get(key)!;
    const found = answer();
    if (answers.size < MAX_REMEMBERED) answers.set(key, found);
    return found;
  };

  /** The page an href points at, seen from the page at `from`; 'not-a-page' for external links, anchors and assets. */
  function findPage(href: string, from: { file: string; permalink: string }): LinkTarget | 'not-a-page' | null {
    return FROM_ANY_PAGE.test(href) ? remember(pagesFound, href, () => findPageFrom(href, from)) : findPageFrom(href, from);
  }

  function findPageFrom(href: string, from: { file: string; permalink: string }): LinkTarget | 'not-a-page' | null {
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
    // From the site root, or a root-relative path: the same image from every page.
    if (relativeTo === 'site' || FROM_ANY_PAGE.test(src)) return remember(imagesFound, `${relativeTo}\0${src}`, () => imageFrom(src, from, relativeTo));
    return imageFrom(src, from, relativeTo);
  }

  function imageFrom(src: string, from: { permalink: string }, relativeTo: 'page' | 'site'): ResolvedImage | null {
    if (!context.assets) return null;
    const file = assetFileOf(src, from, context.baseUrl, relativeTo);
    const dimensions = file === null ? undefined : context.assets.images[file];
    if (!file || !dimensions) return null;
    return { file, url: assetUrlOf(file, context.assets.publicUrl), width: dimensions[0], height: dimensions[1] };
  }

  return { findPage, resolveLink, resolveImage };
}

export type LinkResolver = ReturnType<typeof resolverOf>;
