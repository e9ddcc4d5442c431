import type { PageRecord } from './page-record.ts';

/** What a page list can be ordered by. */
export type PageSortKey = 'slug' | 'title' | 'date' | 'last_modified';
export type SortOrder = 'asc' | 'desc';

/** What a page list asks for. */
export interface PageListRequest {
  sort: PageSortKey;
  order?: SortOrder;
  type?: string;
  layout?: string;
  category?: string;
  tag?: string;
  /** Inclusive day bounds, YYYY-MM-DD, on the publication date. */
  since?: string;
  until?: string;
  /** Permalink prefix. */
  path?: string;
  /** `<field>:<operator>:<value>` conditions (validated by the query schema), all of which must hold. */
  where?: readonly string[];
  cursor?: string;
  limit: number;
  offset: number;
}

/** One page of a list. */
export interface PageListAnswer {
  items: PageRecord[];
  total: number;
  /** Position of the first item among all that match. */
  offset: number;
  /** Cursor of the next page, null on the last. */
  nextCursor: string | null;
}

/** The pages of a view in every order a list can ask for, sorted once per content version. */
export interface PageListing {
  list(request: PageListRequest): PageListAnswer;
  /** {@link list}, a first sort or a filter done a few milliseconds at a time between other requests. */
  listInTurns(request: PageListRequest): Promise<PageListAnswer>;
}
