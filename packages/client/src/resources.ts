/**
 * The API's resources under the names a frontend uses, from the generated contract types.
 * A page's `front_matter` is typed by the content model (schemas/front-matter.ts): known keys
 * typed, unknown keys `unknown`.
 */
import type { FrontMatter } from './generated/front-matter.js';
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];

export type { FrontMatter, HeaderAction } from './generated/front-matter.js';
/** A whole page, its front matter typed by the content model. */
export type Page = Omit<Schemas['Page'], 'front_matter'> & { front_matter: FrontMatter };
/** A page summary as lists return it without `fields=`: every field present. */
export type PageListItem = Required<Schemas['PageListItem']>;
export type PageList<Item = PageListItem> = Omit<Schemas['PageList'], 'items'> & { items: Item[] };
export type Section = Schemas['Section'];
export type SectionList = Schemas['SectionList'];
export type TableOfContents = Schemas['TableOfContents'];
export type TocNode = Schemas['TocNode'];
export type PageNavigation = Schemas['PageNavigation'];
export type Component = Schemas['Component'];
export type FaqEntry = Schemas['FaqEntry'];
export type FaqList = Schemas['FaqList'];
/** The schema.org FAQPage form of the FAQ, for a `<script type="application/ld+json">`. */
export type FaqPageJsonLd = Schemas['FaqPageJsonLd'];
export type Navigation = Schemas['Navigation'];
export type NavAction = Schemas['NavAction'];
export type MenuList = Schemas['MenuList'];
export type Menu = Schemas['Menu'];
export type MenuItem = Schemas['MenuItem'];
/** A page (its front matter typed) or a redirect. */
export type Resolution =
  (Omit<Extract<Schemas['Resolution'], { kind: 'page' }>, 'page'> & { page: Page }) | Exclude<Schemas['Resolution'], { kind: 'page' }>;
export type Site = Schemas['Site'];
export type SearchResults = Schemas['SearchResults'];
export type SearchHit = Schemas['SearchHit'];
export type DiagnosticReport = Schemas['DiagnosticReport'];
export type Health = Schemas['Health'];
/** A page's author, resolved from `_data/authors.yml`. */
export type Author = Schemas['Author'];
/** An image of the content folder a page uses, with its served URL and dimensions. */
export type PageImage = Schemas['PageImage'];
/** A category or tag with its page count and the link to its pages. */
export type TaxonomyTerm = Schemas['TaxonomyTerm'];
export type TaxonomyList = Schemas['TaxonomyList'];
/** A category or tag with the summaries of its pages. */
export type TaxonomyTermPages = Schemas['TaxonomyTermPages'];
export type Problem = Schemas['Problem'];

/** Query parameters of each list, as the contract declares them. */
export type PageListQuery = Omit<NonNullable<operations['listPages']['parameters']['query']>, 'fields'>;
export type FaqQuery = Omit<NonNullable<operations['listFaq']['parameters']['query']>, 'format'>;
export type SearchQuery = Omit<NonNullable<operations['searchPages']['parameters']['query']>, 'q'>;
export type TocQuery = NonNullable<operations['getTableOfContents']['parameters']['query']>;
