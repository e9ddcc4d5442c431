import { parseContentDate } from '../../schemas/front-matter.ts';
import type { PageRecord } from '../model/page-record.ts';
import type { SitemapEntry } from '../model/site-feeds.ts';
import { sortInSteps } from '../content/steps.ts';

/** Pages looked at between two pauses of {@link sitemapEntriesSteps}. */
const PAGES_PER_STEP = 1024;

/**
 * The pages a sitemap lists, by permalink: every page of the view except those whose front
 * matter says `sitemap: false` (jekyll-sitemap) or `site-map: false`. Redirect stubs are not
 * pages, so they are never listed. As steps: at 10,000 pages, dating and sorting them all is
 * tens of milliseconds.
 */
export function* sitemapEntriesSteps(pages: readonly PageRecord[]): Generator<void, SitemapEntry[]> {
  const entries: SitemapEntry[] = [];
  for (const [index, record] of pages.entries()) {
    if (index % PAGES_PER_STEP === PAGES_PER_STEP - 1) yield;
    if (record.frontMatter.sitemap === false || record.frontMatter['site-map'] === false) continue;
    entries.push({ permalink: record.summary.permalink, lastmod: w3cDatetime(lastModified(record)) });
  }
  return yield* sortInSteps(entries, (a, b) => (a.permalink < b.permalink ? -1 : a.permalink > b.permalink ? 1 : 0));
}

/** When a page last changed: `last_modified`, else `last_modified_at` (jekyll-last-modified-at), else its date, else its file's. */
function lastModified(record: PageRecord): Date {
  const { last_modified: lastModifiedAt, date } = record.summary;
  const written = record.frontMatter.last_modified_at;
  const fromFrontMatter = typeof written === 'string' ? parseContentDate(written) : written instanceof Date ? written : null;
  return new Date(lastModifiedAt ?? fromFrontMatter?.toISOString() ?? date ?? record.modified.toISOString());
}

function w3cDatetime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe in XML content: the five special characters escaped, characters XML 1.0 forbids dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (character) => XML_ESCAPES[character]);
}

/** An absolute URL of a page: the site's base URL and the permalink, percent-encoded. */
export function absoluteUrl(base: string, permalink: string): string {
  return `${base}${encodeURI(safeDecodeURI(permalink))}`;
}

/** A sitemaps.org urlset of `entries`, with absolute URLs under `base` (no trailing slash), a piece at a time: the opening, each URL, the close. */
export function* sitemapXmlText(entries: readonly SitemapEntry[], base: string): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n';
  for (const entry of entries)
    yield `<url><loc>${escapeXml(absoluteUrl(base, entry.permalink))}</loc><lastmod>${entry.lastmod}</lastmod></url>\n`;
  yield '</urlset>\n';
}

/** robots.txt: everything may be crawled, and the sitemap is at `base`/sitemap.xml. */
export function robotsTxt(base: string | undefined): string {
  return base === undefined ? 'User-agent: *\nAllow: /\n' : `User-agent: *\nAllow: /\n\nSitemap: ${base}/sitemap.xml\n`;
}

/** A permalink already percent-encoded is decoded first, so it is not encoded twice. */
function safeDecodeURI(value: string): string {
  try {
    return decodeURI(value);
  } catch {
    return value;
  }
}
