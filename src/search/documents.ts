import type { ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
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

/** Pages of HTML up to this size are parsed whole for their introduction. */
const WHOLE_PARSE_MAX_CHARS = 128 * 1024;

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
  const page: SearchDocument = { id: slug, slug, section: null, title, heading: '', text: introductionOf(record.page.html), keywords };
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

/**
 * Plain text of a page's HTML before its first heading: the part no section holds (the whole
 * body, for a page without headings).
 */
function introductionOf(html: string): string {
  // A large page is parsed only up to its first heading (a page of 4,000 sections took a tenth of
  // a second to parse whole, on the event loop): its introduction then stops at a heading nested
  // in a block too, where a smaller page's runs on to the first top-level heading.
  const firstHeading = html.length > WHOLE_PARSE_MAX_CHARS ? html.search(/<h[1-6][\s>]/i) : -1;
  const tree = fromHtml(firstHeading === -1 ? html : html.slice(0, firstHeading), { fragment: true });
  const before: ElementContent[] = [];
  for (const node of tree.children) {
    if (node.type === 'element' && headingRank(node) !== undefined) break;
    if (node.type !== 'doctype') before.push(node);
  }
  return before
    .map((node) => toString(node))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
