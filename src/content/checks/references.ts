import type { Element } from 'hast';
import { visit } from 'unist-util-visit';
import type { FilePosition, PageSource } from './page-source.ts';

/** A URL written in a page body: a link's href or an embedded file's src. */
export interface Reference extends FilePosition {
  /** The element that carries it: a, img, source… */
  tagName: string;
  /** The URL as written, with Jekyll's site URL expressions expanded. */
  url: string;
}

/** Elements whose attribute loads a file into the page. */
const EMBEDDING: Record<string, string[]> = {
  img: ['src'],
  source: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  embed: ['src'],
};

const SITE_BASEURL = /\{\{-?\s*site\.baseurl\s*-?\}\}/g;
const RELATIVE_URL_FILTER = /\{\{-?\s*(['"])([^'"]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}/g;

/**
 * Every link and embedded file of a page, in document order. Bodies are Liquid templates, so a
 * URL may be written `{{ site.baseurl }}/images/x.png` or `{{ '/images/x.png' | relative_url }}`:
 * those two forms are expanded; a URL with any other template syntax is skipped, since only the
 * rendered page knows what it becomes.
 */
export function referencesOf(source: PageSource, baseUrl: string): Reference[] {
  const references: Reference[] = [];
  visit(source.tree, 'element', (node: Element) => {
    const attributes = node.tagName === 'a' ? ['href'] : EMBEDDING[node.tagName] ?? [];
    for (const attribute of attributes) {
      const value = node.properties[attribute];
      if (typeof value !== 'string') continue;
      const url = expandSiteUrls(value.trim(), baseUrl);
      if (url !== null) references.push({ tagName: node.tagName, url, ...source.positionOf(node) });
    }
  });
  return references;
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
