import type { Breadcrumb, PageLink, PageNavigation } from '../../schemas/navigation.ts';
import { permalinkKey } from '../model/permalink.ts';
import type { PageRecord } from '../model/page-record.ts';
import { byCodeUnits } from '../model/order.ts';

/** What the breadcrumb trail calls the site root, as the minimal-mistakes theme does. */
const HOME_LABEL = 'Home';

/**
 * Breadcrumbs and previous/next of every page of a view, computed once per content version (on first use).
 *
 * - Breadcrumbs: Home, then each parent path of the permalink at which a page is served
 *   (`/blog/` for `/blog/2024/x.html`), then the page itself.
 * - Previous/next: documents of a collection follow each other by date, oldest first, as
 *   Jekyll's `page.previous` and `page.next` do; plain pages follow the other plain pages of the
 *   same folder, by permalink.
 */
export function buildTrails(pages: readonly PageRecord[], byPermalink: ReadonlyMap<string, PageRecord>): Map<string, PageNavigation> {
  const sequences = new Map<string, PageRecord[]>();
  for (const record of pages) {
    const key =
      record.summary.collection === null ? `folder:${folderOf(record.summary.permalink)}` : `collection:${record.summary.collection}`;
    const sequence = sequences.get(key);
    if (sequence) sequence.push(record);
    else sequences.set(key, [record]);
  }
  const neighbours = new Map<PageRecord, { previous: PageLink | null; next: PageLink | null }>();
  for (const sequence of sequences.values()) {
    sequence.sort(sequenceOrder);
    sequence.forEach((record, index) => {
      neighbours.set(record, {
        previous: index > 0 ? linkTo(sequence[index - 1]) : null,
        next: index < sequence.length - 1 ? linkTo(sequence[index + 1]) : null,
      });
    });
  }

  const home = byPermalink.get('/');
  return new Map(
    pages.map((record) => [
      record.summary.slug,
      {
        page: record.summary.slug,
        breadcrumbs: breadcrumbsOf(record, home, byPermalink),
        ...neighbours.get(record)!,
      },
    ]),
  );
}

function breadcrumbsOf(record: PageRecord, home: PageRecord | undefined, byPermalink: ReadonlyMap<string, PageRecord>): Breadcrumb[] {
  const crumbs: Breadcrumb[] = [{ title: HOME_LABEL, url: '/', slug: home?.summary.slug ?? null }];
  if (record === home) return crumbs;
  const segments = record.summary.permalink.split('/').filter(Boolean);
  let path = '/';
  for (const segment of segments.slice(0, -1)) {
    path += `${segment}/`;
    const parent = byPermalink.get(permalinkKey(path));
    if (parent && parent !== record && parent !== home)
      crumbs.push({ title: parent.summary.title, url: parent.summary.permalink, slug: parent.summary.slug });
  }
  crumbs.push({ title: record.summary.title, url: record.summary.permalink, slug: record.summary.slug });
  return crumbs;
}

/** The folder a permalink is in: `/blog/` for `/blog/x.html` and for `/blog/x/`. */
function folderOf(permalink: string): string {
  const trimmed = permalink.replace(/\/+$/, '');
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1) || '/';
}

/** Collection documents by date then slug; plain pages by permalink. */
function sequenceOrder(a: PageRecord, b: PageRecord): number {
  if (a.summary.collection !== null) {
    const byDate = byCodeUnits(a.summary.date ?? '', b.summary.date ?? '');
    if (byDate !== 0) return byDate;
    return byCodeUnits(a.summary.slug, b.summary.slug);
  }
  return byCodeUnits(a.summary.permalink, b.summary.permalink) || byCodeUnits(a.summary.slug, b.summary.slug);
}

function linkTo(record: PageRecord): PageLink {
  return { slug: record.summary.slug, title: record.summary.title, permalink: record.summary.permalink };
}
