import type { PageSummary } from '../../schemas/page.ts';
import type { PageRecord } from '../model/page-record.ts';
import { termSlug } from '../model/term-slug.ts';

/** Categories or tags: the two taxonomies of Jekyll front matter. */
export type TaxonomyKind = 'categories' | 'tags';

/** A term with its pages, newest first. */
export interface Term {
  name: string;
  slug: string;
  pages: PageSummary[];
}

/** Terms computed once per view's page list (a view never changes; a new content version has new lists). */
const computed = new WeakMap<readonly PageRecord[], Partial<Record<TaxonomyKind, Map<string, Term>>>>();

/** The terms of one taxonomy over a view's pages, by slug; names that slug alike share a term (the first name seen). */
export function taxonomyOf(records: readonly PageRecord[], kind: TaxonomyKind): Map<string, Term> {
  let byKind = computed.get(records);
  if (!byKind) computed.set(records, (byKind = {}));
  return (byKind[kind] ??= collectTerms(records, kind));
}

function collectTerms(records: readonly PageRecord[], kind: TaxonomyKind): Map<string, Term> {
  const terms = new Map<string, Term>();
  for (const { summary } of records) {
    for (const name of new Set(summary[kind])) {
      const slug = termSlug(name);
      let term = terms.get(slug);
      if (!term) terms.set(slug, (term = { name, slug, pages: [] }));
      term.pages.push(summary);
    }
  }
  for (const term of terms.values()) term.pages.sort(newestFirst);
  return terms;
}

/** Terms most used first, then by name. */
export function byUse(a: Term, b: Term): number {
  return b.pages.length - a.pages.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function newestFirst(a: PageSummary, b: PageSummary): number {
  if (a.date !== b.date) return a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? 1 : -1;
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}
