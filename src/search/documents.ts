import { walkSections } from '../markdown/sections.ts';
import type { PageRecord } from '../model/page-record.ts';

/**
 * What the search index holds: one document per section of a page, plus one for the page itself
 * (its title and the text before its first heading), so a hit can link straight to the section.
 */
export interface SearchDocument {
  /** `slug` for the page itself, `slug#section` for a section. */
  id: string;
  slug: string;
  /** The section's anchor, or null for the page itself. */
  section: string | null;
  /** Page title: indexed on every document of the page, so title words combine with section words. */
  title: string;
  /** Section heading ('' for the page itself). */
  heading: string;
  /** Plain text of the section body (the introduction, for the page itself). */
  text: string;
  /** Tags and categories. */
  keywords: string;
}

/** A search document as a view keeps it, to find and show a hit: without its text (see {@link searchDocumentsOf}). */
export type SearchEntry = Omit<SearchDocument, 'text'>;

const entriesByRecord = new WeakMap<PageRecord, SearchEntry[]>();

/**
 * The documents of a page to index, texts included: derived from the record's body each time
 * they are indexed (a body is inflated once for all of a page's sections), and not kept: the
 * index keeps its terms, and a view its documents without their texts ({@link searchEntriesOf}),
 * which would otherwise keep every section's text of the site on the JS heap. Indexing a page
 * also remembers its documents without texts, so that ranking never inflates a body.
 */
export function searchDocumentsOf(record: PageRecord): SearchDocument[] {
  const documents = deriveDocuments(record);
  if (!entriesByRecord.has(record)) entriesByRecord.set(record, documents.map(withoutText));
  return documents;
}

/**
 * The documents of a page without their texts, to find and show a hit (a hit's snippet reads its
 * text from the record, see {@link searchTextOf}). A record is immutable and reused by the loader
 * while its page does not change, so they are derived once (when the page is indexed), not on
 * every reload.
 */
export function searchEntriesOf(record: PageRecord): SearchEntry[] {
  const entries = entriesByRecord.get(record);
  if (entries) return entries;
  searchDocumentsOf(record);
  return entriesByRecord.get(record)!;
}

/** The text a document was indexed with: the page's introduction, or its section's text. */
export function searchTextOf(record: PageRecord, entry: SearchEntry): string {
  return entry.section === null ? record.introduction : (record.section(entry.section)?.text ?? '');
}

// Written out rather than an object rest: the rest left each of a site's entries (70,000 at
// 10,000 seed pages) with a property store beside the object, about 2.7 MB in all.
function withoutText({ id, slug, section, title, heading, keywords }: SearchDocument): SearchEntry {
  return { id, slug, section, title, heading, keywords };
}

function deriveDocuments(record: PageRecord): SearchDocument[] {
  const { slug, title, categories, tags } = record.summary;
  const keywords = [...categories, ...tags].join(' ');
  const page: SearchDocument = { id: slug, slug, section: null, title, heading: '', text: record.introduction, keywords };
  const ids = new Set<string>();
  // An index refuses two documents with one id; heading ids are unique per page, but be sure.
  const sections = [...walkSections(record.outline)]
    .filter((section) => section.id !== '' && !ids.has(section.id) && ids.add(section.id))
    .map((section): SearchDocument => ({
      id: `${slug}#${section.id}`,
      slug,
      section: section.id,
      title,
      heading: section.title,
      text: section.text,
      keywords,
    }));
  return [page, ...sections];
}
