import { byCodeUnits } from '../model/order.ts';
import type { PageRecord } from '../model/page-record.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { meets, type WhereCondition, type WhereOperator } from './front-matter-query.ts';
import { typeOf } from './page-type.ts';
import { comparePositions, defaultOrder, positionOf, type ListPosition } from './page-order.ts';
import { runAtOnce, runInTurns, sortInSteps } from '../content/steps.ts';
import type { PageListAnswer, PageListing, PageListRequest, PageSortKey, SortOrder } from '../model/listing.ts';

/** Pages looked at between two pauses while a list is sorted or filtered: a few milliseconds. */
const PAGES_PER_STEP = 1024;

/**
 * Sorts a view's pages in the orders lists ask for, once per content version: each order when
 * first asked for, its sort keys read once per page (not once per comparison). At 10,000 pages a
 * first sort, or a filter on front matter, is tens of milliseconds: {@link PageListing.listInTurns}
 * does it a few milliseconds at a time.
 */
export function createPageListing(records: readonly PageRecord[]): PageListing {
  const orders = new Map<string, readonly PageRecord[]>();
  // Orders being sorted in turns: a request for one waits for that sort.
  const sorting = new Map<string, Promise<readonly PageRecord[]>>();
  function* sortSteps(key: PageSortKey, order: SortOrder): Generator<void, readonly PageRecord[]> {
    // A view's pages come in slug order (see view.ts): the default order is theirs, found in one
    // pass rather than 10,000 positions sorted (the first list of each version asks for it).
    if (
      key === 'slug' &&
      order === 'asc' &&
      records.every((record, at) => at === 0 || byCodeUnits(records[at - 1].summary.slug, record.summary.slug) < 0)
    ) {
      orders.set(`${key} ${order}`, records);
      return records;
    }
    const positions: (ListPosition & { index: number })[] = [];
    for (const [index, record] of records.entries()) {
      if (index % PAGES_PER_STEP === PAGES_PER_STEP - 1) yield;
      positions.push({ ...positionOf(record, key), index });
    }
    const sorted = (yield* sortInSteps(positions, comparePositions(key, order))).map(({ index }) => records[index]);
    orders.set(`${key} ${order}`, sorted);
    return sorted;
  }
  const orderOf = (request: PageListRequest) => request.order ?? defaultOrder(request.sort);

  return {
    list(request) {
      const order = orderOf(request);
      const sorted = orders.get(`${request.sort} ${order}`) ?? runAtOnce(sortSteps(request.sort, order));
      return runAtOnce(answerSteps(request, order, sorted));
    },
    async listInTurns(request) {
      const order = orderOf(request);
      const name = `${request.sort} ${order}`;
      let sorted = orders.get(name);
      if (!sorted) {
        let pending = sorting.get(name);
        if (!pending) {
          pending = runInTurns(sortSteps(request.sort, order)).finally(() => sorting.delete(name));
          sorting.set(name, pending);
        }
        sorted = await pending;
      }
      return runInTurns(answerSteps(request, order, sorted));
    },
  };
}

/** One page of a sorted list, as steps: filtering looks at every page. */
function* answerSteps(request: PageListRequest, order: SortOrder, sorted: readonly PageRecord[]): Generator<void, PageListAnswer> {
  const filter = filterOf(request);
  let matches = sorted;
  if (filter) {
    const kept: PageRecord[] = [];
    for (const [index, record] of sorted.entries()) {
      if (index % PAGES_PER_STEP === PAGES_PER_STEP - 1) yield;
      if (filter(record)) kept.push(record);
    }
    matches = kept;
  }
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
}

/** The test a page must pass to be listed, or null when the request narrows nothing (most ask for a whole order, a page at a time). */
function filterOf(request: PageListRequest): ((record: PageRecord) => boolean) | null {
  const tests: ((record: PageRecord) => boolean)[] = [];
  for (const text of request.where ?? []) {
    const [field, operator, ...rest] = text.split(':');
    const condition: WhereCondition = { field, operator: operator as WhereOperator, value: rest.join(':') };
    tests.push((record) => meets(record, condition));
  }
  const { type, layout, category, tag, path, since, until } = request;
  if (type) tests.push((record) => typeOf(record) === type);
  if (layout) tests.push((record) => record.summary.layout === layout);
  if (category) tests.push((record) => record.summary.categories.includes(category));
  if (tag) tests.push((record) => record.summary.tags.includes(tag));
  if (path) tests.push((record) => record.summary.permalink.startsWith(path));
  if (since || until) {
    // Dates are ISO 8601 in UTC; a day bound compares on the date part.
    tests.push((record) => {
      const day = record.summary.date?.slice(0, 10);
      if (!day) return false;
      return (!since || day >= since) && (!until || day <= until);
    });
  }
  return tests.length === 0 ? null : (record) => tests.every((test) => test(record));
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
