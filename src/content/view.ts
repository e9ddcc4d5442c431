import type { FaqEntry } from '../../schemas/faq.ts';
import type { NavAction, PageNavigation } from '../../schemas/navigation.ts';
import { createPageListing } from '../discovery/page-listing.ts';
import type { PageListing } from '../model/listing.ts';
import { createTrails } from '../discovery/trails.ts';
import { createFaqSearch } from '../search/faq-search.ts';
import type { FaqSearch } from '../model/search.ts';
import { createPageSearch } from '../search/page-search.ts';
import type { PageSearch } from '../model/search.ts';
import { buildSiteIndex, indexSiteInTurns, type SiteIndex } from '../search/site-index.ts';
import { permalinkKey } from '../model/permalink.ts';
import { withValuesReplaced } from './overlay-map.ts';
import { createResponseCache } from './response-cache.ts';
import type { ContentView } from '../model/content-view.ts';
import type { PageRecord } from '../model/page-record.ts';
import { byCodeUnits } from '../model/order.ts';
import type { Slice } from './time-slice.ts';

/**
 * Indexes one audience's pages for lookups: by slug, by permalink, FAQ entries and navigation
 * actions, the search indexes, list orders and breadcrumbs (the sitemap is a memoized response
 * of its own). Everything a request needs is computed here, once per content version; each view gets its own, so nothing of a
 * draft can reach the published view through an index.
 */
export function buildView(records: PageRecord[], redirects: ReadonlyMap<string, string>, audience: 'published' | 'preview'): ContentView {
  const { pages, bySlug, byPermalink, add } = lookupsOf(records);
  for (let at = 0; at < pages.length; at++) add(pages[at]);
  return viewOf({ pages, bySlug, byPermalink, redirects, audience });
}

/**
 * {@link buildView} for a load on the main thread: the lookups of 10,000 pages take about 20 ms
 * to fill, so they are filled in slices, handing the event loop back between them.
 */
export async function buildViewInSlices(
  records: PageRecord[],
  redirects: ReadonlyMap<string, string>,
  audience: 'published' | 'preview',
  slice: Slice,
): Promise<ContentView> {
  const { pages, bySlug, byPermalink, add } = lookupsOf(records);
  for (let at = 0; at < pages.length; at++) {
    add(pages[at]);
    const pause = slice();
    if (pause) await pause;
  }
  return viewOf({ pages, bySlug, byPermalink, redirects, audience });
}

/**
 * The pages in slug order and their lookups, filled a page at a time by `add`. A loop, not a
 * generator: a start runs it once, before V8 optimizes it, and each step of a generator made an
 * object for its result.
 */
function lookupsOf(records: PageRecord[]) {
  const pages = [...records].sort((a, b) => byCodeUnits(a.summary.slug, b.summary.slug));
  const bySlug = new Map<string, PageRecord>();
  const byPermalink = new Map<string, PageRecord>();
  const add = (record: PageRecord) => {
    bySlug.set(record.summary.slug, record);
    byPermalink.set(permalinkKey(record.summary.permalink), record);
  };
  return { pages, bySlug, byPermalink, add };
}

/**
 * The view {@link buildView} would give for `view`'s pages with some records replaced by records
 * of the same slug and permalink (a live edit that moved no page): the same order, its lookups
 * the last ones with the new records laid over them (see withValuesReplaced), rather than
 * sorted and built again.
 */
export function patchView(view: ContentView, replaced: ReadonlyMap<PageRecord, PageRecord>, audience: 'published' | 'preview'): ContentView {
  const pages = view.pages.slice();
  const bySlug = new Map<string, PageRecord>();
  const byPermalink = new Map<string, PageRecord>();
  let modified = view.modified.getTime();
  let newest = true;
  for (const [before, after] of replaced) {
    const at = pages.indexOf(before);
    if (at === -1) continue;
    pages[at] = after;
    bySlug.set(after.summary.slug, after);
    byPermalink.set(permalinkKey(after.summary.permalink), after);
    // The newest page may have been replaced by an older version of itself: then look again.
    if (before.modified.getTime() >= modified && after.modified.getTime() < modified) newest = false;
    modified = Math.max(modified, after.modified.getTime());
  }
  return viewOf({
    pages,
    bySlug: withValuesReplaced(view.bySlug, bySlug),
    byPermalink: withValuesReplaced(view.byPermalink, byPermalink),
    redirects: view.redirects,
    audience,
    modified: newest ? new Date(modified) : undefined,
  });
}

interface ViewLookups {
  /** The pages by slug, in slug order. */
  pages: PageRecord[];
  bySlug: ReadonlyMap<string, PageRecord>;
  byPermalink: ReadonlyMap<string, PageRecord>;
  redirects: ReadonlyMap<string, string>;
  audience: 'published' | 'preview';
  /** When the newest page last changed, when known. */
  modified?: Date;
}

/** A view over pages already sorted and looked up: everything else is built on first use. */
function viewOf({ pages, bySlug, byPermalink, redirects, audience, modified }: ViewLookups): ContentView {
  // Search indexes are kept per audience, so no word of a draft reaches the published ones. They
  // are built on first use, once per content version: indexing 10,000 pages takes seconds, which
  // would delay every start and every live edit.
  let siteIndex: SiteIndex | undefined;
  let search: PageSearch | undefined;
  let faqSearch: FaqSearch | undefined;
  const indexed = () => (siteIndex ??= buildSiteIndex(pages, audience));
  let indexing: Promise<void> | undefined;
  const indexedInTurns = () =>
    (indexing ??= indexSiteInTurns(pages, audience).then(
      () => void indexed(),
      (error: unknown) => {
        // Not kept: the next request tries again.
        indexing = undefined;
        throw error;
      },
    ));
  // The site-wide FAQ and navigation lists, orders and breadcrumbs too: each is built
  // by the first request that needs it (each costs milliseconds of every live edit at 10,000 pages).
  let faq: FaqEntry[] | undefined;
  let navigation: NavAction[] | undefined;
  let listing: PageListing | undefined;
  let trails: ((record: PageRecord) => PageNavigation) | undefined;
  const faqEntries = () => (faq ??= pages.flatMap((record) => record.faq));
  return {
    pages,
    bySlug,
    byPermalink,
    redirects,
    get faq() {
      return faqEntries();
    },
    get navigation() {
      return (navigation ??= pages.flatMap((record) => record.actions));
    },
    modified: modified ?? new Date(pages.reduce((newest, record) => Math.max(newest, record.modified.getTime()), 0)),
    get search() {
      return (search ??= createPageSearch(indexed()));
    },
    searchable(waitMs) {
      if (siteIndex) return Promise.resolve(true);
      const built = indexedInTurns();
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), waitMs);
        const settle = (ready: boolean) => {
          clearTimeout(timer);
          resolve(ready);
        };
        built.then(() => settle(true), () => settle(false));
      });
    },
    get faqSearch() {
      return (faqSearch ??= createFaqSearch(faqEntries(), indexed()));
    },
    get listing() {
      return (listing ??= createPageListing(pages));
    },
    navigationOf(record) {
      return (trails ??= createTrails(pages, byPermalink))(record);
    },
    responses: createResponseCache(),
  };
}
