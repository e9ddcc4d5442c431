import type { Page, PageSummary } from '../../schemas/page.ts';
import type { Representation } from './representation.ts';
import type { SectionNode } from './section-node.ts';

/** One page as loaded: the JSON it is served as, plus what lookups need. */
export interface PageRecord {
  /** Path relative to the content folder. */
  file: string;
  page: Page;
  summary: PageSummary;
  /** The page's front matter as served (`page.front_matter`), without building the whole page: lists, the sitemap and search filters read it for every page. */
  frontMatter: Page['front_matter'];
  /** The page's FAQ entries as served (`page.faq`), without building the whole page (the site-wide FAQ list). */
  faq: Page['faq'];
  /** The page's header actions as served (`page.actions`), without building the whole page (the site-wide navigation list). */
  actions: Page['actions'];
  /** Section tree (ranges of the page HTML), to serve section fragments without re-rendering; cut from the HTML each time it is read. */
  outline: SectionNode[];
  /** The section with this heading id and its subsections, cut from the HTML alone (the rest of the page is not). */
  section(id: string): SectionNode | undefined;
  published: boolean;
  /** Plain text of the body before its first heading, taken when it was rendered (the page's own search document). */
  introduction: string;
  /** When the source file last changed. */
  modified: Date;
  /** The page serialized once: JSON and HTML bodies with their ETags. */
  json: Representation;
  html: Representation;
  /**
   * What the content checks need of the page (`PageFacts`, page-facts.ts), as JSON: taken when it
   * was read and rendered, kept deflated with the page's HTML and decoded on each read (only
   * when a content version is checked: the checks keep what they decoded for the run).
   */
  facts: string;
  /**
   * Only on a page of a first load's listing, listed before it is rendered (see
   * src/content/listed-page.ts): its record once rendered, its render asked for before the rest
   * of the load's; undefined when the render failed (the load leaves the page out). Nothing but
   * its summary's listing fields, its front matter, file, dates and audience is read before.
   */
  rendered?: () => Promise<PageRecord | undefined>;
}
