import type { Diagnostic } from '../../schemas/diagnostic.ts';
import type { FaqEntry } from '../../schemas/faq.ts';
import type { NavAction, PageNavigation } from '../../schemas/navigation.ts';
import type { Page, PageSummary } from '../../schemas/page.ts';
import type { Representation } from '../http/representation.ts';
import type { SectionNode } from '../markdown/sections.ts';
import type { PageListing } from '../discovery/page-listing.ts';
import type { FeedSettings } from '../discovery/feed.ts';
import type { SitemapEntry } from '../discovery/sitemap.ts';
import type { FaqSearch } from '../search/faq-search.ts';
import type { PageSearch } from '../search/page-search.ts';

/** One page as loaded: the JSON it is served as, plus what lookups need. */
export interface PageRecord {
  /** Path relative to the content folder. */
  file: string;
  page: Page;
  summary: PageSummary;
  /** Section tree with its hast, to serve section fragments without re-rendering. */
  outline: SectionNode[];
  sectionsById: ReadonlyMap<string, SectionNode>;
  published: boolean;
  /** When the source file last changed. */
  modified: Date;
  /** The page serialized once: JSON and HTML bodies with their ETags. */
  json: Representation;
  html: Representation;
}

/**
 * What one audience sees: readers get the published view; preview (with a token) also sees
 * drafts. Drafts are simply absent from the published view, so no route can leak them.
 */
export interface ContentView {
  pages: readonly PageRecord[];
  bySlug: ReadonlyMap<string, PageRecord>;
  /** permalinkKey → page. */
  byPermalink: ReadonlyMap<string, PageRecord>;
  /** permalinkKey → where the path now lives. */
  redirects: ReadonlyMap<string, string>;
  faq: readonly FaqEntry[];
  navigation: readonly NavAction[];
  /** When the newest page of this view last changed: Last-Modified of lists. */
  modified: Date;
  /** Full-text index of the pages and their sections (GET /v1/search). */
  search: PageSearch;
  /** The FAQ entries, ranked by relevance to a query (GET /v1/faq?q=). */
  faqSearch: FaqSearch;
  /** The pages in every order a list can ask for (GET /v1/pages). */
  listing: PageListing;
  /** slug → breadcrumbs and previous/next page. */
  trails: ReadonlyMap<string, PageNavigation>;
  /** The pages the sitemap lists, with their last modification. */
  sitemap: readonly SitemapEntry[];
  /**
   * Responses computed from this view (lists, queries, sections), serialized once and kept
   * while the view lives. Bounded, and dropped with the view when content changes.
   */
  responses: ResponseCache;
}

/** Memoizes serialized responses by a canonical request key. */
export interface ResponseCache {
  get(key: string, build: () => Representation): Representation;
}

/** The whole state of the service for one content version: built whole, swapped atomically, never mutated. */
export interface Snapshot {
  /**
   * The public content version: a hash of the published pages (their sources and what they were
   * rendered into) and the site settings. Drafts are not part of it, so a draft-only edit leaves
   * it, and everything public derived from it, unchanged.
   */
  version: string;
  /** The version of everything preview sees: published pages and drafts. */
  previewVersion: string;
  loadedAt: Date;
  /** How long building this snapshot took, how many files had to be read and how many pages rendered for it. */
  loadMs: number;
  read: number;
  rendered: number;
  published: ContentView;
  preview: ContentView;
  /** Every page loaded, drafts included, in file order (cheaper than the preview view when only pages are needed). */
  pages: readonly PageRecord[];
  /** Every problem found while loading, drafts' included (see `privateFiles`). */
  diagnostics: readonly Diagnostic[];
  /**
   * Files whose problems only preview may see: drafts, and files whose front matter could not
   * be read (they may be drafts).
   */
  privateFiles: ReadonlySet<string>;
  /** The subpath the site is published under ('' at the root); paths under it resolve too. */
  baseUrl: string;
  /** Site settings (Jekyll _config.yml) safe to publish, or null for a plain folder. */
  site: Readonly<Record<string, unknown>> | null;
  /** The site's data files (Jekyll's _data), by name. */
  data: Readonly<Record<string, unknown>>;
  /** jekyll-feed's settings when the site uses the plugin (GET /feed.xml), else null. */
  feed: FeedSettings | null;
}
