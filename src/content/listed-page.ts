import type { Page, PageSummary } from '../../schemas/page.ts';
import type { PageRecord } from '../model/page-record.ts';
import type { Representation } from '../model/representation.ts';
import type { SectionNode } from '../model/section-node.ts';
import { isoDate, type PageEntry } from './entry.ts';

/** What the pages of one listing ask of the load that listed them. */
export interface Listing {
  /** The page's front matter as served (Jekyll's defaults and data applied). */
  frontMatterOf(entry: PageEntry): Page['front_matter'];
  /** The record of the page at this place in the listing, once rendered (its render asked for first). */
  recordOf(index: number): Promise<PageRecord | undefined>;
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
  readonly #entry: PageEntry;
  /** Its place in the listing (what the listing's render pool knows it by). */
  readonly #index: number;
  readonly #listing: Listing;
  #frontMatter: Page['front_matter'] | undefined;
  #record: Promise<PageRecord | undefined> | undefined;

  constructor(entry: PageEntry, index: number, listing: Listing) {
    this.file = entry.file;
    this.summary = listedSummary(entry);
    this.modified = new Date(entry.modified);
    this.published = entry.published;
    this.#entry = entry;
    this.#index = index;
    this.#listing = listing;
  }

  /** The record of the page once rendered; undefined when its render failed (the load leaves it out). */
  rendered(): Promise<PageRecord | undefined> {
    return (this.#record ??= this.#listing.recordOf(this.#index));
  }

  get frontMatter(): Page['front_matter'] {
    return (this.#frontMatter ??= this.#listing.frontMatterOf(this.#entry));
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

/** The summary as the record will have it, but for a title or excerpt that only the render gives. */
function listedSummary(entry: PageEntry): PageSummary {
  const { frontMatter } = entry;
  const summary = {
    slug: entry.slug,
    permalink: entry.permalink,
    layout: entry.layout,
    date: entry.date,
    last_modified: isoDate(frontMatter.last_modified),
    collection: entry.collection,
    categories: entry.categories,
    tags: entry.tags,
  } as PageSummary;
  // As buildRecord takes them: the front matter's, else the render's.
  const title = entry.title ?? undefined;
  const excerpt = frontMatter.excerpt;
  return Object.defineProperties(summary, {
    title: title === undefined ? UNRENDERED_TITLE : { enumerable: true, value: title },
    excerpt: excerpt === undefined ? UNRENDERED_EXCERPT : { enumerable: true, value: excerpt },
  });
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
