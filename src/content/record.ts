import type { NavAction } from '../../schemas/navigation.ts';
import type { FaqEntry } from '../../schemas/faq.ts';
import type { Page, PageSummary } from '../../schemas/page.ts';
import { HTML_CONTENT_TYPE, JSON_CONTENT_TYPE, representLazily, toWholeSecond } from '../http/representation.ts';
import { faqEntryOf } from '../markdown/faq.ts';
import { sectionsFrom, toPlainSection, walkSections } from '../markdown/sections.ts';
import { isoDate, type PageEntry } from './entry.ts';
import type { LinkResolver } from './links.ts';
import { titleFromSlug } from './page-text.ts';
import { answerOf, bodyOf, factsOf, htmlBytesOf, IMAGE_LINK, jsonOfBody, linksOf, outlineOf, questionsOf, sectionOutlineOf, type HtmlSlicer, type RenderedBody, type RenderedPage } from './rendered-page.ts';
import type { PageRecord } from '../model/page-record.ts';
import type { BodyStore, Representation } from '../model/representation.ts';
import type { SectionNode } from '../model/section-node.ts';
import type { PageExtras } from './page-extras.ts';

/** The header actions of a page, resolved to the pages they point at. */
export function resolveActions(entry: PageEntry, resolver: LinkResolver): NavAction[] {
  return (entry.frontMatter.header?.actions ?? []).map((action) => {
    const target = resolver.findPage(action.url, entry);
    const page = target && target !== 'not-a-page' ? target : null;
    return {
      label: action.label,
      url: page ? page.permalink : action.url,
      internal: target !== 'not-a-page',
      slug: page ? page.slug : null,
      page: entry.slug,
    };
  });
}

/**
 * Assembles the page as served. `identity` names everything it is made of (source, renderer,
 * resolved links and actions): the ETags derive from it, so the JSON and HTML bodies are only
 * serialized when first asked for. The summary (what lists need) is made at once; the page as
 * served, its sections and their lookup when used, from the render the record keeps: a warm
 * start lists 10,000 pages without cutting and copying 60,000 sections first.
 */
export function buildRecord(entry: PageEntry, rendered: RenderedPage, actions: NavAction[], identity: string, extras?: PageExtras, bodies?: BodyStore): PageRecord {
  return new LoadedPage(entry, rendered, actions, identity, extras, bodies);
}

/**
 * A page record: a class, not an object of getters and closures, because every page has one for
 * as long as it is served: its state is fields and its methods are shared (an object literal with
 * getters took about 0.8 KB of property dictionary a page, and a dozen closures besides).
 *
 * The page, its sections and its JSON are derived on each use, not kept: a record lives as long
 * as its page is unchanged, and a crawl that asked for every page once would otherwise keep every
 * page's sections and page object. Each is the render's body inflated and a few slices of its
 * HTML, no markdown work; the serialized bodies are kept in the body store, which is bounded.
 * Only the FAQ entries, which the site-wide FAQ list holds anyway, are kept, their answers read
 * from the body when asked for (the render took the questions: most pages have none, and the
 * list inflates no page).
 */
class LoadedPage implements PageRecord {
  readonly file: string;
  readonly summary: PageSummary;
  readonly frontMatter: Page['front_matter'];
  readonly actions: NavAction[];
  readonly modified: Date;
  readonly published: boolean;
  readonly introduction: string;
  readonly json: Representation;
  readonly html: Representation;
  readonly #entry: PageEntry;
  readonly #rendered: RenderedPage;
  readonly #extras: PageExtras | undefined;
  #faq: Page['faq'] | undefined;

  constructor(entry: PageEntry, rendered: RenderedPage, actions: NavAction[], identity: string, extras?: PageExtras, bodies?: BodyStore) {
    const { frontMatter } = entry;
    this.file = entry.file;
    this.summary = {
      slug: entry.slug,
      title: entry.title ?? rendered.firstHeading ?? titleFromSlug(entry.slug),
      permalink: entry.permalink,
      layout: entry.layout,
      excerpt: frontMatter.excerpt ?? rendered.excerpt,
      date: entry.date,
      last_modified: isoDate(frontMatter.last_modified),
      collection: entry.collection,
      categories: entry.categories,
      tags: entry.tags,
    };
    this.frontMatter = extras?.frontMatter ?? frontMatter;
    this.actions = actions;
    this.modified = new Date(entry.modified);
    this.published = entry.published;
    this.introduction = rendered.introduction;
    this.#entry = entry;
    this.#rendered = rendered;
    this.#extras = extras;
    // The record makes both bodies (serialize) and its two representations share one Date: no
    // closures, context or second Date a page.
    const lastModified = toWholeSecond(this.modified);
    this.json = representLazily(this, JSON_CONTENT_TYPE, lastModified, identity, bodies);
    this.html = representLazily(this, HTML_CONTENT_TYPE, lastModified, identity, bodies);
  }

  /** The bytes of the record's JSON or HTML representation, made when first asked for (see representLazily). */
  serialize(contentType: string): string | Buffer {
    return contentType === HTML_CONTENT_TYPE ? htmlBytesOf(this.#rendered) : jsonOfBody(this.#rendered, (body, slice) => this.#pageOf(body, slice));
  }

  get page(): Page {
    return this.#pageOf(bodyOf(this.#rendered));
  }

  /**
   * The page as served, its texts from `body` (its sections' HTML cut from the body's with
   * `slice`): the page object, and the shape its JSON is written in (see jsonOfBody).
   */
  #pageOf(body: RenderedBody, slice?: HtmlSlicer): Page {
    const rendered = this.#rendered;
    const sections = sectionsFrom(body.html, outlineOf(body), slice);
    return {
      ...this.summary,
      front_matter: this.frontMatter,
      author: this.#extras?.author ?? null,
      images: [...(this.#extras?.images ?? []), ...bodyImages(rendered)],
      html: body.html,
      sections: sections.map(toPlainSection),
      toc: [...walkSections(sections)].map(({ id, title, level }) => ({ id, title, level })),
      // As served: the answers from the body at hand, not inflated again one by one.
      faq: questionsOf(rendered).map((question, at) => faqEntryOf({ ...question, answer: body.answers[at] }, this.#entry)),
      actions: this.actions,
      components: rendered.components,
    };
  }

  get faq(): Page['faq'] {
    return (this.#faq ??= questionsOf(this.#rendered).map((question, at) => faqEntryOf({ ...question, answer: packedAnswer(this.#rendered, at) }, this.#entry)));
  }

  get outline(): SectionNode[] {
    return sectionsOf(bodyOf(this.#rendered));
  }

  section(id: string): SectionNode | undefined {
    const found = sectionOutlineOf(this.#rendered, id);
    return found && sectionsFrom(found.html, [found.section])[0];
  }

  get facts(): string {
    return factsOf(this.#rendered);
  }
}

/** A page's sections from its render's body as text. */
function sectionsOf(body: RenderedBody): SectionNode[] {
  return sectionsFrom(body.html, outlineOf(body));
}

/**
 * A FAQ answer read from its render's deflated body each time it is used (served, listed,
 * indexed): the site-wide FAQ list keeps every entry for as long as its page, and an answer is
 * often most of a page's text, as HTML and again as plain text (29 MB of strings at 10,000
 * seed pages). Reading one inflates its page: tens of microseconds.
 */
function packedAnswer(rendered: RenderedPage, index: number): FaqEntry['answer'] {
  return {
    get html() {
      return answerAt(rendered, index).html;
    },
    get text() {
      return answerAt(rendered, index).text;
    },
  };
}

/** The answer read last: serializing an entry reads its HTML, then its text, from one inflating. */
let lastAnswer: { rendered: RenderedPage; index: number; answer: FaqEntry['answer'] } | undefined;

function answerAt(rendered: RenderedPage, index: number): FaqEntry['answer'] {
  if (lastAnswer?.rendered !== rendered || lastAnswer.index !== index) lastAnswer = { rendered, index, answer: answerOf(rendered, index) };
  return lastAnswer.answer;
}

/** The body's images of the content folder, as the render resolved them (see rehype-asset-images.ts). */
function bodyImages(rendered: RenderedPage): Page['images'] {
  const images: Page['images'] = [];
  const seen = new Set<string>();
  for (const [href, resolution] of linksOf(rendered)) {
    if (!href.startsWith(IMAGE_LINK) || seen.has(href)) continue;
    seen.add(href);
    const image = JSON.parse(resolution) as { url: string; width: number; height: number } | null;
    if (image) images.push({ field: 'html', src: href.slice(IMAGE_LINK.length), url: image.url, width: image.width, height: image.height });
  }
  return images;
}
