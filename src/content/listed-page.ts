import type { Page, PageSummary } from '../../schemas/page.ts';
import type { PageRecord } from '../model/page-record.ts';
import type { Representation } from '../model/representation.ts';
import type { SectionNode } from '../model/section-node.ts';
import { isoDate, type PageEntry } from './entry.ts';

/** What the pages of one listing ask of the load that listed them (or of the start that resumed the listing). */
export interface Listing {
  /** The front matter as served (Jekyll's defaults and data applied) of the page at this place in the listing. */
  frontMatterOf(index: number): Page['front_matter'];
  /** The record of the page at this place in the listing, once rendered (its render asked for first). */
  recordOf(index: number): Promise<PageRecord | undefined>;
  /** Its record if its render is done by now, without asking for it: what a shutdown saves (see resume.ts). */
  renderedNow(index: number): PageRecord | undefined;
}

/**
 * A page's summary as listed, a plain object (it can be saved): the title and excerpt only where
 * the front matter gives them, since otherwise they come from the render.
 */
export type ListedSummary = Omit<PageSummary, 'title' | 'excerpt'> & Partial<Pick<PageSummary, 'title' | 'excerpt'>>;

/** What a listed page is listed by: from its entry (see {@link listedFactsOf}), or as a shutdown saved it. */
export interface ListedFacts {
  file: string;
  summary: ListedSummary;
  /** When the source file last changed (milliseconds since the epoch). */
  modified: number;
  published: boolean;
}

/** The facts a page is listed by, from its entry: the summary as the record will have it, but for a title or excerpt that only the render gives. */
export function listedFactsOf(entry: PageEntry): ListedFacts {
  const { frontMatter } = entry;
  const summary: ListedSummary = {
    slug: entry.slug,
    permalink: entry.permalink,
    layout: entry.layout,
    date: entry.date,
    last_modified: isoDate(frontMatter.last_modified),
    collection: entry.collection,
    categories: entry.categories,
    tags: entry.tags,
  };
  // As buildRecord takes them: the front matter's, else the render's.
  if (entry.title != null) summary.title = entry.title;
  if (frontMatter.excerpt !== undefined) summary.excerpt = frontMatter.excerpt;
  return { file: entry.file, summary, modified: entry.modified, published: entry.published };
}

/**
 * A page of a first load's listing (see load/listing.ts): listed once its file is read and its
 * front matter validated, before it is rendered. What lists sort and filter by is at hand: its
 * slug, permalink, dates, collection, layout, categories, tags and front matter. Everything else
 * is its render's, and {@link rendered} asks for that render before the rest of the load's and
 * gives the page's record once it is done. A title or excerpt the front matter does not give
 * comes from the render too: reading one here, or anything else of the render, is a bug, and
 * throws rather than serve a page that is not the page.
 *
 * A listing holds one of these per page for as long as its render lasts (seconds, at 10,000
 * pages), so a listed page keeps no closures of its own: what it needs of the load is asked of the
 * {@link Listing} all of them share.
 */
export class ListedPage implements PageRecord {
  readonly file: string;
  readonly summary: PageSummary;
  readonly modified: Date;
  readonly published: boolean;
  /** Its place in the listing (what the listing's render pool knows it by). */
  readonly #index: number;
  readonly #listing: Listing;
  #frontMatter: Page['front_matter'] | undefined;
  #record: Promise<PageRecord | undefined> | undefined;

  constructor(facts: ListedFacts, index: number, listing: Listing) {
    this.file = facts.file;
    this.summary = withUnrendered(facts.summary);
    this.modified = new Date(facts.modified);
    this.published = facts.published;
    this.#index = index;
    this.#listing = listing;
  }

  /** The record of the page once rendered; undefined when its render failed (the load leaves it out). */
  rendered(): Promise<PageRecord | undefined> {
    return (this.#record ??= this.#listing.recordOf(this.#index));
  }

  /** Its record if its render is done by now (see {@link Listing.renderedNow}). */
  renderedNow(): PageRecord | undefined {
    return this.#listing.renderedNow(this.#index);
  }

  /** What it is listed by, as a shutdown saves it: its summary without what only the render gives. */
  listedFacts(): ListedFacts {
    const summary = {} as ListedSummary;
    for (const [key, described] of Object.entries(Object.getOwnPropertyDescriptors(this.summary))) {
      if ('value' in described) (summary as Record<string, unknown>)[key] = described.value;
    }
    return { file: this.file, summary, modified: this.modified.getTime(), published: this.published };
  }

  get frontMatter(): Page['front_matter'] {
    return (this.#frontMatter ??= this.#listing.frontMatterOf(this.#index));
  }

  get page(): Page {
    return unrendered(this, 'page');
  }

  get faq(): Page['faq'] {
    return unrendered(this, 'faq');
  }

  get actions(): Page['actions'] {
    return unrendered(this, 'actions');
  }

  get outline(): SectionNode[] {
    return unrendered(this, 'outline');
  }

  section(): SectionNode | undefined {
    return unrendered(this, 'section');
  }

  get introduction(): string {
    return unrendered(this, 'introduction');
  }

  get json(): Representation {
    return unrendered(this, 'json');
  }

  get html(): Representation {
    return unrendered(this, 'html');
  }

  get facts(): string {
    return unrendered(this, 'facts');
  }
}

/**
 * The listed summary made a page's summary, in place: a title or excerpt it does not have throws
 * when read (see {@link unrendered}).
 */
function withUnrendered(summary: ListedSummary): PageSummary {
  if (summary.title === undefined) Object.defineProperty(summary, 'title', UNRENDERED_TITLE);
  if (summary.excerpt === undefined) Object.defineProperty(summary, 'excerpt', UNRENDERED_EXCERPT);
  return summary as PageSummary;
}

// One getter for every summary, not a closure each: V8 then gives all summaries alike one hidden
// class, where a getter of their own gave each its own (about 1 KB a page, at 10,000 pages).
const UNRENDERED_TITLE: PropertyDescriptor = {
  enumerable: true,
  get(this: PageSummary) {
    return unrendered(this, 'title');
  },
};
const UNRENDERED_EXCERPT: PropertyDescriptor = {
  enumerable: true,
  get(this: PageSummary) {
    return unrendered(this, 'excerpt');
  },
};

function unrendered(of: { slug?: string; summary?: PageSummary }, what: string): never {
  throw new Error(`${what} of page "${of.summary?.slug ?? of.slug}" read before it was rendered`);
}
