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

const documentsByRecord = new WeakMap<PageRecord, SearchDocument[]>();

/**
 * The search documents of a page. A record is immutable and reused by the loader while its page
 * does not change, so its documents are derived once, not on every reload.
 */
export function searchDocumentsOf(record: PageRecord): SearchDocument[] {
  let documents = documentsByRecord.get(record);
  if (!documents) {
    documents = deriveDocuments(record);
    documentsByRecord.set(record, documents);
  }
  return documents;
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
