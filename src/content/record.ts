import v8 from 'node:v8';
import type { NavAction } from '../../schemas/navigation.ts';
import type { FaqEntry } from '../../schemas/faq.ts';
import { PAGE_SUMMARY_FIELDS, type Page, type PageSummary } from '../../schemas/page.ts';
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
import type { RecordFile, RecordPlace } from './record-file.ts';

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
  const { frontMatter } = entry;
  const facts: RecordFacts = {
    file: entry.file,
    summary: {
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
    },
    modified: entry.modified,
    published: entry.published,
    introduction: rendered.introduction,
    identity,
  };
  return new LoadedPage(facts, { inputs: { entry, rendered, extras }, actions }, bodies);
}

/**
 * What a record holds of itself besides its render, front matter and actions: what lists and
 * lookups read of every page, and the identity its ETags derive from.
 */
export interface RecordFacts {
  file: string;
  summary: PageSummary;
  /** When the source file last changed (milliseconds since the epoch). */
  modified: number;
  published: boolean;
  introduction: string;
  identity: string;
}

/**
 * A summary as a resumed start's pack saves it (see resume.ts): its values in the order of
 * {@link PAGE_SUMMARY_FIELDS}. V8's deserializer makes 10,000 arrays faster than as many objects
 * of named fields, and the summaries made back from them share one shape.
 */
export type SavedSummary = PageSummary[keyof PageSummary][];

export function saveSummary(summary: PageSummary): SavedSummary {
  return PAGE_SUMMARY_FIELDS.map((field) => summary[field]);
}

/**
 * The summary saved as `saved`; with `texts`, its excerpt (which `saved` then leaves out) read from
 * them when first used (see {@link ResumedSummary}).
 */
export function summaryFromSaved(saved: SavedSummary, texts?: SavedTexts): PageSummary {
  const lazy = texts?.excerpt === true;
  const summary = (lazy ? new ResumedSummary(texts) : {}) as Record<string, unknown>;
  for (let at = 0; at < PAGE_SUMMARY_FIELDS.length; at++) {
    const field = PAGE_SUMMARY_FIELDS[at];
    if (lazy && field === 'excerpt') Object.defineProperty(summary, field, ResumedSummary.EXCERPT);
    else summary[field] = saved[at];
  }
  return summary as PageSummary;
}

/**
 * A resumed record's texts, among those of the records saved beside it (see resume.ts): its
 * excerpt as UTF-8 in [start, shownStart) when `excerpt` (else it has none), and its front matter
 * and actions in V8's serialization format (see SavedRecord) in [shownStart, end).
 */
export interface SavedTexts {
  group: TextsGroup;
  start: number;
  shownStart: number;
  end: number;
  excerpt: boolean;
}

/**
 * The texts of some hundreds of resumed records, in one record of the record file, read and
 * checked when one of them is first used, then kept (off the JavaScript heap). A warm start reads
 * none: at 10,000 seed pages they are 10 MB, which it read, checked and decoded into 20,000
 * strings before (some 50 ms of a start); a list reads the group of the pages it lists, a few
 * hundred kilobytes, once.
 */
export class TextsGroup {
  #bytes: Uint8Array | undefined;

  constructor(
    private readonly source: RecordFile,
    private readonly place: RecordPlace,
  ) {}

  get bytes(): Uint8Array {
    return (this.#bytes ??= this.source.read(this.place));
  }
}

const utf8 = new TextDecoder();

/**
 * A resumed summary, its excerpt decoded from its saved texts when first read: most pages' are
 * never read before the next shutdown, or only by a list of a few of them. The excerpt is an own
 * enumerable property, as any summary's (spreads, JSON and field picks see it), and its getter is
 * one for every summary, so that they all share one hidden class.
 */
class ResumedSummary {
  readonly #texts: SavedTexts;
  #excerpt: string | undefined;

  static readonly EXCERPT: PropertyDescriptor = {
    enumerable: true,
    get(this: ResumedSummary) {
      return this.#read();
    },
  };

  constructor(texts: SavedTexts) {
    this.#texts = texts;
  }

  #read(): string {
    const { group, start, shownStart } = this.#texts;
    return (this.#excerpt ??= utf8.decode(group.bytes.subarray(start, shownStart)));
  }
}

/** What a record is made from besides its facts and actions: the entry, the render and the extras. */
export interface RecordInputs {
  entry: PageEntry;
  rendered: RenderedPage;
  extras: PageExtras | undefined;
}

/**
 * A record saved for a resumed start (see resume.ts): its facts, its front matter as served and
 * its actions (`shown`), and its inputs, these two in V8's serialization format.
 */
export interface SavedRecord {
  facts: RecordFacts;
  shown: Uint8Array;
  inputs: Uint8Array;
}

/** A record as {@link resumeRecord} takes it back; undefined for a record of another kind. */
export function saveRecord(record: PageRecord): SavedRecord | undefined {
  return record instanceof LoadedPage ? record.save() : undefined;
}

/**
 * A record made from a saved one, the same as the record it was saved from (the same facts, the
 * same page, the same ETags). Its facts are at hand; its front matter and actions are decoded
 * when first read (the sitemap, the navigation list); its inputs are read from their place in
 * `source` and decoded when first used (a page served, its FAQ or sections read). Once a load
 * has made the same record again, it takes the load's own (see {@link adoptInputs}). The source
 * checks each record's MAC before its bytes are decoded, its texts' included (see TextsGroup).
 */
export function resumeRecord(saved: { facts: RecordFacts; texts: SavedTexts }, source: RecordFile, place: RecordPlace, bodies?: BodyStore): PageRecord {
  return new LoadedPage(saved.facts, { shown: saved.texts, source, place }, bodies);
}

/**
 * Gives a resumed record the inputs and actions a load made it from again (the same identity:
 * the same source, render, links, actions and extras), so it keeps no bytes of its own.
 */
export function adoptInputs(record: PageRecord, inputs: RecordInputs, actions: NavAction[]): void {
  if (record instanceof LoadedPage) record.adopt(inputs, actions);
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
  readonly modified: Date;
  readonly published: boolean;
  readonly introduction: string;
  readonly #identity: string;
  readonly #bodies: BodyStore | undefined;
  #json: Representation | undefined;
  #html: Representation | undefined;
  #frontMatter: Page['front_matter'] | undefined;
  #actions: NavAction[] | undefined;
  #entry: PageEntry | undefined;
  #rendered: RenderedPage | undefined;
  #extras: PageExtras | undefined;
  /** Where a resumed record's front matter and actions are saved, serialized: decoded on first use (see {@link resumeRecord}). */
  #shown: SavedTexts | undefined;
  /** Where a resumed record's entry, render and extras are saved: read and decoded on first use. */
  #source: RecordFile | undefined;
  #place: RecordPlace | undefined;
  #faq: Page['faq'] | undefined;

  constructor(
    facts: RecordFacts,
    made: { inputs: RecordInputs; actions: NavAction[] } | { shown: SavedTexts; source: RecordFile; place: RecordPlace },
    bodies?: BodyStore,
  ) {
    this.file = facts.file;
    this.summary = facts.summary;
    this.modified = new Date(facts.modified);
    this.published = facts.published;
    this.introduction = facts.introduction;
    if ('inputs' in made) {
      this.adopt(made.inputs, made.actions);
    } else {
      this.#shown = made.shown;
      this.#source = made.source;
      this.#place = made.place;
    }
    this.#identity = facts.identity;
    this.#bodies = bodies;
  }

  /**
   * The page's JSON and HTML representations, made when first asked for: most pages of a large
   * site are not asked for soon after a start, and a start makes none (20,000 objects fewer at
   * 10,000 pages). The record makes both bodies (serialize), and the two share one Date.
   */
  get json(): Representation {
    return (this.#json ??= representLazily(this, JSON_CONTENT_TYPE, this.#html?.lastModified ?? toWholeSecond(this.modified), this.#identity, this.#bodies));
  }

  get html(): Representation {
    return (this.#html ??= representLazily(this, HTML_CONTENT_TYPE, this.#json?.lastModified ?? toWholeSecond(this.modified), this.#identity, this.#bodies));
  }

  /** The front matter as served (`page.front_matter`). */
  get frontMatter(): Page['front_matter'] {
    if (this.#shown) this.#decodeShown(this.#shown);
    return this.#frontMatter!;
  }

  /** The header actions as served (`page.actions`). */
  get actions(): NavAction[] {
    if (this.#shown) this.#decodeShown(this.#shown);
    return this.#actions!;
  }

  #decodeShown({ group, shownStart, end }: SavedTexts): void {
    [this.#frontMatter, this.#actions] = v8.deserialize(group.bytes.subarray(shownStart, end)) as [Page['front_matter'], NavAction[]];
    this.#shown = undefined;
  }

  /** The entry, render and extras the record is made from, read and decoded from their saved bytes on first use. */
  get #made(): RecordInputs {
    if (this.#source && this.#place) {
      const [entry, rendered, extras] = v8.deserialize(this.#source.read(this.#place)) as [PageEntry, RenderedPage, PageExtras | undefined];
      this.#entry = entry;
      this.#rendered = rendered;
      this.#extras = extras;
      this.#source = undefined;
      this.#place = undefined;
    }
    return { entry: this.#entry!, rendered: this.#rendered!, extras: this.#extras };
  }

  save(): SavedRecord {
    const { entry, rendered, extras } = this.#made;
    const facts: RecordFacts = {
      file: this.file,
      summary: this.summary,
      modified: this.modified.getTime(),
      published: this.published,
      introduction: this.introduction,
      identity: this.#identity,
    };
    return { facts, shown: v8.serialize([this.frontMatter, this.actions]), inputs: v8.serialize([entry, rendered, extras]) };
  }

  adopt({ entry, rendered, extras }: RecordInputs, actions: NavAction[]): void {
    this.#entry = entry;
    this.#rendered = rendered;
    this.#extras = extras;
    // The extras' front matter is the entry's with the images' URLs laid over it (see pageExtrasOf).
    this.#frontMatter = extras?.frontMatter ?? entry.frontMatter;
    this.#actions = actions;
    this.#shown = undefined;
    this.#source = undefined;
    this.#place = undefined;
  }

  /** The bytes of the record's JSON or HTML representation, made when first asked for (see representLazily). */
  serialize(contentType: string): string | Buffer {
    return contentType === HTML_CONTENT_TYPE ? htmlBytesOf(this.#made.rendered) : jsonOfBody(this.#made.rendered, (body, slice) => this.#pageOf(body, slice));
  }

  get page(): Page {
    return this.#pageOf(bodyOf(this.#made.rendered));
  }

  /**
   * The page as served, its texts from `body` (its sections' HTML cut from the body's with
   * `slice`): the page object, and the shape its JSON is written in (see jsonOfBody).
   */
  #pageOf(body: RenderedBody, slice?: HtmlSlicer): Page {
    const { entry, rendered, extras } = this.#made;
    const sections = sectionsFrom(body.html, outlineOf(body), slice);
    return {
      ...this.summary,
      front_matter: this.frontMatter,
      author: extras?.author ?? null,
      images: [...(extras?.images ?? []), ...bodyImages(rendered)],
      html: body.html,
      sections: sections.map(toPlainSection),
      toc: [...walkSections(sections)].map(({ id, title, level }) => ({ id, title, level })),
      // As served: the answers from the body at hand, not inflated again one by one.
      faq: questionsOf(rendered).map((question, at) => faqEntryOf({ ...question, answer: body.answers[at] }, entry)),
      actions: this.actions,
      components: rendered.components,
    };
  }

  get faq(): Page['faq'] {
    if (this.#faq) return this.#faq;
    const { entry, rendered } = this.#made;
    return (this.#faq = questionsOf(rendered).map((question, at) => faqEntryOf({ ...question, answer: packedAnswer(rendered, at) }, entry)));
  }

  get outline(): SectionNode[] {
    return sectionsOf(bodyOf(this.#made.rendered));
  }

  section(id: string): SectionNode | undefined {
    const found = sectionOutlineOf(this.#made.rendered, id);
    return found && sectionsFrom(found.html, [found.section])[0];
  }

  get facts(): string {
    return factsOf(this.#made.rendered);
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
