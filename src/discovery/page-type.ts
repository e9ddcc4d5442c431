import type { PageRecord } from '../model/page-record.ts';

/** What kind of page a record is, for `type=` filters: `page` for a plain page, else its collection (`posts`…). */
export function typeOf(record: PageRecord): string {
  return record.summary.collection ?? 'page';
}
