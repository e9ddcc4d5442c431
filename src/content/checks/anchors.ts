import { closest, distance } from 'fastest-levenshtein';
import path from 'node:path';
import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import { ID_PREFIX } from '../../markdown/rehype-safe-ids.ts';
import { permalinkKey, withoutBaseUrl } from '../../model/permalink.ts';
import type { ContentView } from '../../model/content-view.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { CheckContext, CheckedPage } from './check-context.ts';
import { decodeUrlPart, isExternalUrl, pathOf, type Reference } from './references.ts';

/**
 * `missing-anchor`: a link to `#fragment` (on the same page or another one) whose target page has
 * no element with that id, as served. Links to pages that do not exist are the loader's
 * `broken-link`; `#` and `#top` (which browsers scroll to the top for) are fine.
 */
export function checkAnchors(context: CheckContext): Diagnostic[] {
  const idsOf = servedIds(context);
  return (context.checking ?? context.pages).flatMap((page) => anchorProblemsOf(page, context.snapshot.baseUrl, idsOf));
}

/** A page's anchor problems, with the pages its links with a fragment led to when they were found. */
interface AnchorOutcome {
  targets: readonly (PageRecord | null)[];
  problems: readonly Diagnostic[];
}

/**
 * Each page's last anchor problems. They follow from the page and the records its links lead to
 * (both immutable), so while a link still leads to the same record they stand: after a live edit,
 * only pages that link into an edited page look at served ids again (the ids of every linked page
 * are decoded from its packed facts: about 0.1 ms a page, 1 s per version at 10,000 pages).
 */
const anchorOutcomes = new WeakMap<PageRecord, AnchorOutcome>();

function anchorProblemsOf(page: CheckedPage, baseUrl: string, idsOf: (record: PageRecord) => ReadonlySet<string>): readonly Diagnostic[] {
  const links: { reference: Reference; fragment: string }[] = [];
  for (const reference of page.references) {
    if (reference.tagName !== 'a' || !reference.url.includes('#') || isExternalUrl(reference.url)) continue;
    const fragment = decodeUrlPart(reference.url.slice(reference.url.indexOf('#') + 1));
    if (fragment === '' || fragment.toLowerCase() === 'top') continue;
    links.push({ reference, fragment });
  }
  if (links.length === 0) return [];
  const targets = links.map(({ reference }) => targetPage(reference.url, page, baseUrl));
  const known = anchorOutcomes.get(page.record);
  if (known && known.targets.length === targets.length && known.targets.every((target, at) => target === targets[at])) return known.problems;
  const problems: Diagnostic[] = [];
  for (const [at, { reference, fragment }] of links.entries()) {
    const target = targets[at];
    if (!target) continue;
    const ids = idsOf(target);
    // Ids other than headings' are served prefixed (rehype-safe-ids.ts), and links within their page follow them.
    if (ids.has(fragment) || (target === page.record && ids.has(ID_PREFIX + fragment))) continue;
    const where = target === page.record ? 'this page' : target.summary.permalink;
    problems.push({
      code: 'missing-anchor', severity: 'warning', file: page.record.file, line: reference.line, column: reference.column, field: null,
      message: `link to ${reference.url} points at no heading or id on ${where}`,
      hint: `${suggestion(fragment, ids)}Headings get GitHub-style ids: lowercase, spaces as hyphens, punctuation dropped.`,
    });
  }
  anchorOutcomes.set(page.record, { targets, problems });
  return problems;
}

/** The lookups of a check run, shared by the slices it is run in (see `checking`). */
const idsBySite = new WeakMap<readonly CheckedPage[], (record: PageRecord) => ReadonlySet<string>>();

/** The ids a page's served HTML holds (taken when it was rendered), as a set once per page that a link points into. */
function servedIds(context: CheckContext): (record: PageRecord) => ReadonlySet<string> {
  let idsOf = idsBySite.get(context.pages);
  if (!idsOf) {
    idsOf = servedIdsOf(context.pages);
    idsBySite.set(context.pages, idsOf);
  }
  return idsOf;
}

function servedIdsOf(site: readonly CheckedPage[]): (record: PageRecord) => ReadonlySet<string> {
  const pages = new Map(site.map((page) => [page.record, page]));
  const cache = new Map<PageRecord, Set<string>>();
  return (record) => {
    let ids = cache.get(record);
    if (!ids) {
      ids = new Set(pages.get(record)?.facts.servedIds);
      cache.set(record, ids);
    }
    return ids;
  };
}

/** The page a link leads to, in the linking page's view, or null when it leads to none (or off the site). */
function targetPage(url: string, page: CheckedPage, baseUrl: string): PageRecord | null {
  const target = pathOf(url);
  if (target === '') return page.record;
  const { view } = page;
  if (/\.(md|markdown)$/i.test(target)) {
    const file = path.posix.normalize(path.posix.join(path.posix.dirname(page.record.file), decodeUrlPart(target)));
    return view.pages.find((record) => record.file === file) ?? null;
  }
  const key = permalinkKey(withoutBaseUrl(new URL(target, `https://site.invalid${page.record.summary.permalink}`).pathname, baseUrl));
  return view.byPermalink.get(key) ?? redirectTarget(view, key);
}

function redirectTarget(view: ContentView, key: string): PageRecord | null {
  const location = view.redirects.get(key);
  return location && !isExternalUrl(location) ? view.byPermalink.get(permalinkKey(location)) ?? null : null;
}

function suggestion(fragment: string, ids: ReadonlySet<string>): string {
  if (ids.size === 0) return 'The page has no headings or ids. ';
  const nearest = closest(fragment, [...ids]);
  return distance(fragment, nearest) <= Math.max(2, Math.floor(fragment.length / 3)) ? `Did you mean #${nearest}? ` : '';
}
