import type { FaqEntry } from '../../schemas/faq.ts';
import type { NavAction } from '../../schemas/navigation.ts';
import { permalinkKey } from './permalink.ts';
import { createResponseCache } from './response-cache.ts';
import type { ContentView, PageRecord } from './snapshot.ts';

/**
 * Indexes one audience's pages for lookups: by slug, by permalink, FAQ entries and navigation
 * actions. Everything a request needs is computed here, once per content version.
 */
export function buildView(records: PageRecord[], redirects: ReadonlyMap<string, string>): ContentView {
  const pages = [...records].sort((a, b) => a.summary.slug.localeCompare(b.summary.slug));
  const faq: FaqEntry[] = pages.flatMap((record) => record.page.faq);
  const navigation: NavAction[] = pages.flatMap((record) => record.page.actions);
  return {
    pages,
    bySlug: new Map(pages.map((record) => [record.summary.slug, record])),
    byPermalink: new Map(pages.map((record) => [permalinkKey(record.summary.permalink), record])),
    redirects,
    faq,
    navigation,
    modified: new Date(Math.max(0, ...pages.map((record) => record.modified.getTime()))),
    responses: createResponseCache(),
  };
}
