/**
 * `createClient`: openapi-fetch over the generated contract, with one helper per resource whose
 * answer is typed by what was asked for (the fields of a list, JSON, an HTML fragment or JSON-LD).
 */
import createFetchClient, { type Client } from 'openapi-fetch';
import { subscribe, type EventHandlers, type Subscription } from './events.js';
import type { PageFieldPath, PageField, PageSummary } from './fields.js';
import type { paths } from './generated/openapi.js';
import type {
  DiagnosticReport,
  FaqEntry,
  FaqList,
  FaqPageJsonLd,
  FaqQuery,
  Health,
  MenuList,
  Navigation,
  Page,
  PageList,
  PageListQuery,
  PageNavigation,
  Problem,
  Resolution,
  SearchQuery,
  SearchResults,
  Section,
  SectionList,
  Site,
  TableOfContents,
  TaxonomyList,
  TaxonomyTermPages,
  TocQuery,
} from './resources.js';

export interface ClientOptions {
  /** Where the service answers, e.g. http://localhost:3000. */
  baseUrl: string;
  /** PREVIEW_TOKEN of the service: drafts become visible everywhere, events included. */
  previewToken?: string;
  /** A fetch to use instead of the global one (tests, SSR frameworks). */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** An answer: the body typed when the status is 2xx, else the problem+json. */
export type Result<T> = { data: T; error?: undefined; response: Response } | { data?: undefined; error: Problem; response: Response };

/**
 * The media types the raw client reads bodies as: JSON and problem+json. A route that also
 * answers another JSON form (the FAQ's application/ld+json) is typed by its plain JSON form.
 */
export type RawMediaType = 'application/json' | 'application/problem+json';

/** The raw openapi-fetch client: every route of the contract, JSON bodies typed. */
export type RawClient = Client<paths, RawMediaType>;

type Answer = { data?: unknown; error?: unknown; response: Response };
/** openapi-fetch types a route by its first JSON media type; the helper knows which one it asked for. */
const as = <T>(answer: Promise<Answer>) => answer as Promise<Result<T>>;
const csv = (fields: readonly string[] | undefined) => (fields?.length ? fields.join(',') : undefined);

/** A client of the content service at `options.baseUrl`. */
export function createClient(options: ClientOptions) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.previewToken) headers.authorization = `Bearer ${options.previewToken}`;
  const raw: RawClient = createFetchClient<paths, RawMediaType>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
  // As openapi-fetch joins them: the base URL (any path prefix kept) then the route's path.
  const base = options.baseUrl.replace(/\/+$/, '');

  return {
    /** The openapi-fetch client, for routes without a helper yet (after `npm run types`). */
    raw,
    baseUrl: options.baseUrl,

    pages: {
      /** One page as JSON: front matter, HTML, sections, toc, FAQ, actions, components. */
      get: (slug: string) => as<Page>(raw.GET('/v1/pages/{slug}', { params: { path: { slug } } })),
      /** One page's rendered HTML fragment. */
      html: (slug: string) =>
        as<string>(raw.GET('/v1/pages/{slug}', { params: { path: { slug }, query: { format: 'html' } }, parseAs: 'text' })),
      /**
       * One page of the list. With `fields`, each item has only those fields (and `slug`):
       * `list({ fields: ['title'] })` types items as `{ slug; title }`.
       */
      list: <const F extends PageFieldPath = PageField>(query: PageListQuery & { fields?: readonly F[] } = {}) =>
        as<PageList<PageSummary<F>>>(raw.GET('/v1/pages', { params: { query: { ...query, fields: csv(query.fields) } } })),
      /** Every page matching the query, following the cursor one list page at a time. */
      async *all<const F extends PageFieldPath = PageField>(
        query: PageListQuery & { fields?: readonly F[] } = {},
      ): AsyncGenerator<PageSummary<F>> {
        let cursor: string | undefined = query.cursor;
        do {
          const { data, error } = await as<PageList<PageSummary<F>>>(
            raw.GET('/v1/pages', { params: { query: { ...query, cursor, fields: csv(query.fields) } } }),
          );
          if (error) throw new Error(error.detail ?? error.title);
          yield* data.items;
          cursor = data.next_cursor ?? undefined;
        } while (cursor);
      },
      /** The page body split at its headings, as a tree. */
      sections: (slug: string) => as<SectionList>(raw.GET('/v1/pages/{slug}/sections', { params: { path: { slug } } })),
      /** One section (and its subsections) by heading id. */
      section: (slug: string, id: string) => as<Section>(raw.GET('/v1/pages/{slug}/sections/{id}', { params: { path: { slug, id } } })),
      /** One section's HTML, heading included. */
      sectionHtml: (slug: string, id: string) =>
        as<string>(
          raw.GET('/v1/pages/{slug}/sections/{id}', { params: { path: { slug, id }, query: { format: 'html' } }, parseAs: 'text' }),
        ),
      /** The table of contents, as the page's `toc*` front matter asks for it. */
      toc: (slug: string, query: TocQuery = {}) =>
        as<TableOfContents>(raw.GET('/v1/pages/{slug}/toc', { params: { path: { slug }, query } })),
      /** Breadcrumbs and the previous and next pages. */
      navigation: (slug: string) => as<PageNavigation>(raw.GET('/v1/pages/{slug}/navigation', { params: { path: { slug } } })),
    },

    faq: {
      /** FAQ entries (JSON), in page order, or ranked when `q` is given. */
      list: (query: FaqQuery = {}) => as<FaqList>(raw.GET('/v1/faq', { params: { query: { ...query, format: 'json' } } })),
      /** FAQ entries ranked by relevance to `q` (typos and word beginnings match). */
      search: (q: string, query: Omit<FaqQuery, 'q'> = {}) =>
        as<FaqList>(raw.GET('/v1/faq', { params: { query: { ...query, q, format: 'json' } } })),
      /** Every matching entry as a schema.org FAQPage, for `<script type="application/ld+json">`. */
      jsonLd: (query: Omit<FaqQuery, 'limit' | 'offset'> = {}) =>
        as<FaqPageJsonLd>(raw.GET('/v1/faq', { params: { query: { ...query, format: 'jsonld' } } })),
      /** One entry by id. */
      get: (id: string) => as<FaqEntry>(raw.GET('/v1/faq/{id}', { params: { path: { id } } })),
    },

    navigation: {
      /** Every page's header actions, internal links resolved. */
      list: () => as<Navigation>(raw.GET('/v1/navigation')),
    },
    menus: {
      /** The site menus (`_data/navigation.yml`): main, footer… in file order. */
      list: () => as<MenuList>(raw.GET('/v1/navigation/menus')),
    },
    site: {
      /** Title, description, base URL and public settings. */
      get: () => as<Site>(raw.GET('/v1/site')),
      /** Whether the site publishes an Atom feed, and its URL on the service. */
      async feed(): Promise<{ url: string } | null> {
        const url = new URL('/feed.xml', options.baseUrl).href;
        const response = await (options.fetch ?? fetch)(url, { method: 'HEAD', headers });
        return response.ok ? { url } : null;
      },
    },
    data: {
      /**
       * A data file of the site (`_data/<name>.yml`, `.yaml` or `.json`) as JSON, secret-looking
       * keys removed. Its shape is the site's own: give it as `T` (default `unknown`).
       */
      get: <T = unknown>(name: string) => as<T>(raw.GET('/v1/data/{name}', { params: { path: { name } } })),
    },
    categories: {
      /** Every category of the published pages with its page count, most used first. */
      list: () => as<TaxonomyList>(raw.GET('/v1/categories')),
      /** One category (by slug) with the summaries of its pages, newest first. */
      get: (slug: string) => as<TaxonomyTermPages>(raw.GET('/v1/categories/{slug}', { params: { path: { slug } } })),
    },
    tags: {
      /** Every tag of the published pages with its page count, most used first. */
      list: () => as<TaxonomyList>(raw.GET('/v1/tags')),
      /** One tag (by slug) with the summaries of its pages, newest first. */
      get: (slug: string) => as<TaxonomyTermPages>(raw.GET('/v1/tags/{slug}', { params: { path: { slug } } })),
    },
    assets: {
      /** Where a file of the content folder (`images/logo.png`) is served: an absolute URL on the service. */
      url: (path: string) => `${base}/v1/assets/${path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/')}`,
      /**
       * An image URL from page JSON or HTML made absolute on the service: root-relative ones
       * (`/v1/assets/…`, when the service has no PUBLIC_URL) get the base URL, absolute ones are kept.
       */
      resolve: (url: string) => (/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `${base}/${url.replace(/^\/+/, '')}`),
    },
    /** Pages matching the words of `q`, best first, with highlighted snippets and deep links. */
    search: (q: string, query: SearchQuery = {}) => as<SearchResults>(raw.GET('/v1/search', { params: { query: { ...query, q } } })),
    /** The page (or redirect) a URL path of the site stands for. */
    resolve: (path: string) => as<Resolution>(raw.GET('/v1/resolve', { params: { query: { path } } })),
    diagnostics: {
      /** Content problems (drafts' too with the preview token). */
      list: () => as<DiagnosticReport>(raw.GET('/v1/diagnostics')),
    },
    /** Liveness and the content version served. */
    health: () => as<Health>(raw.GET('/health')),
    events: {
      /** Live content updates over /v1/events, reconnecting with Last-Event-ID and backoff. */
      subscribe: (
        handlers: EventHandlers & { lastEventId?: string; minDelayMs?: number; maxDelayMs?: number; signal?: AbortSignal },
      ): Subscription => subscribe({ ...handlers, baseUrl: options.baseUrl, previewToken: options.previewToken, fetch: options.fetch }),
    },
  };
}

/** What `createClient` returns. */
export type ContentClient = ReturnType<typeof createClient>;
