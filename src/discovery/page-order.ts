import type { PageRecord } from '../model/page-record.ts';
import { byCodeUnits } from '../model/order.ts';
import type { PageSortKey, SortOrder } from '../model/listing.ts';

/**
 * A position in an ordered list: the sort value and slug of a page (or of where a page was).
 * Pages are totally ordered by (value, slug), so a position stays meaningful when pages are
 * added or removed: that is what makes cursors survive content changes.
 */
export interface ListPosition {
  /** The sort value; null for a page without one (no date), which sorts last. */
  value: string | null;
  slug: string;
}

/**
 * Made when a list is first sorted by title: ICU's first collator takes some milliseconds to
 * load, which no start needs to spend before serving (lists are in slug order by default).
 */
let titleCollator: Intl.Collator | undefined;

/** The default order of each key: names A to Z, dates newest first. */
export function defaultOrder(key: PageSortKey): SortOrder {
  return key === 'date' || key === 'last_modified' ? 'desc' : 'asc';
}

/** The value a page is sorted by. `last_modified` falls back to the file date, as the sitemap does. */
export function sortValue(record: PageRecord, key: PageSortKey): string | null {
  switch (key) {
    case 'slug':
      return record.summary.slug;
    case 'title':
      return record.summary.title;
    case 'date':
      return record.summary.date;
    case 'last_modified':
      return record.summary.last_modified ?? record.modified.toISOString();
  }
}

/**
 * Compares two positions in the order `key`/`order`: pages without a value last (whichever the
 * order), then by value (titles as an English reader sorts them, ignoring case and accents), then
 * by slug, so that no two pages tie.
 */
export function comparePositions(key: PageSortKey, order: SortOrder) {
  const direction = order === 'asc' ? 1 : -1;
  const compareValues = key === 'title' ? (titleCollator ??= new Intl.Collator('en', { sensitivity: 'base' })).compare : byCodeUnits;
  return (a: ListPosition, b: ListPosition): number => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else {
      const byValue = compareValues(a.value, b.value) * direction;
      if (byValue !== 0) return byValue;
    }
    return byCodeUnits(a.slug, b.slug);
  };
}

/** The position of a page in the order `key`. */
export function positionOf(record: PageRecord, key: PageSortKey): ListPosition {
  return { value: sortValue(record, key), slug: record.summary.slug };
}
