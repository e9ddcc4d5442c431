import type { PageRecord } from '../model/page-record.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { meets, type WhereCondition, type WhereOperator } from './front-matter-query.ts';
import { typeOf } from './page-type.ts';
import { comparePositions, defaultOrder, positionOf } from './page-order.ts';
import type { PageSortKey } from '../model/listing.ts';
import type { PageListing, PageListRequest } from '../model/listing.ts';

const SORT_KEYS: PageSortKey[] = ['slug', 'title', 'date', 'last_modified'];

/** Sorts a view's pages in every order a list can ask for, once per content version. */
export function createPageListing(records: readonly PageRecord[]): PageListing {
  const orders = new Map<string, PageRecord[]>();
  for (const key of SORT_KEYS) {
    for (const order of ['asc', 'desc'] as const) {
      const compare = comparePositions(key, order);
      orders.set(
        `${key} ${order}`,
        [...records].sort((a, b) => compare(positionOf(a, key), positionOf(b, key))),
      );
    }
  }

  return {
    list(request) {
      const order = request.order ?? defaultOrder(request.sort);
      const matches = orders.get(`${request.sort} ${order}`)!.filter(filterOf(request));
      let start = request.offset;
      if (request.cursor !== undefined) {
        const compare = comparePositions(request.sort, order);
        const after = decodeCursor(request.cursor);
        start += firstAfter(matches, (record) => compare(positionOf(record, request.sort), after) > 0);
      }
      const items = matches.slice(start, start + request.limit);
      const last = items.at(-1);
      return {
        items,
        total: matches.length,
        offset: Math.min(start, matches.length),
        nextCursor: last && start + items.length < matches.length ? encodeCursor(positionOf(last, request.sort)) : null,
      };
    },
  };
}

function filterOf(request: PageListRequest): (record: PageRecord) => boolean {
  // Dates are ISO 8601 in UTC; a day bound compares on the date part.
  const conditions: WhereCondition[] = (request.where ?? []).map((text) => {
    const [field, operator, ...rest] = text.split(':');
    return { field, operator: operator as WhereOperator, value: rest.join(':') };
  });
  return (record) => {
    if (!conditions.every((condition) => meets(record, condition))) return false;
    const { summary } = record;
    if (request.type && typeOf(record) !== request.type) return false;
    if (request.layout && summary.layout !== request.layout) return false;
    if (request.category && !summary.categories.includes(request.category)) return false;
    if (request.tag && !summary.tags.includes(request.tag)) return false;
    if (request.path && !summary.permalink.startsWith(request.path)) return false;
    if (request.since || request.until) {
      const day = summary.date?.slice(0, 10);
      if (!day || (request.since && day < request.since) || (request.until && day > request.until)) return false;
    }
    return true;
  };
}

/** Index of the first item for which `isAfter` holds, in a list where it holds for a suffix. */
function firstAfter<T>(items: readonly T[], isAfter: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isAfter(items[middle])) high = middle;
    else low = middle + 1;
  }
  return low;
}
