import type { Component } from '../../schemas/page.ts';
import type { FaqQuestion } from '../markdown/faq.ts';
import { walkSections, type SectionOutline } from '../markdown/sections.ts';
import { jsonWithTexts } from './json-texts.ts';
import { packTexts, unpackTexts, type PackedTexts } from './packed-texts.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { PageEntry } from './entry.ts';
import type { LinkResolver } from './links.ts';

/** What rendering a page body produced: plain data, so it can come back from a worker or the disk cache. */
export interface RenderedPage {
  /**
   * Everything of a render that is read only now and then, deflated together (see
   * {@link packRender}): the page's HTML, the plain text of each of its sections, its section
   * tree, its FAQ answers and what the content checks need of it. They are most of a render
   * (about 12.2 KB of a seed page's 13.8), read only when a page is first serialized, its sections
   * or answers are asked for, an index is built or a content version is checked, so they are kept
   * off the JS heap at about a fifth of their size (an answer, a copy of part of the page, adds
   * little once deflated): at 10,000 pages, 25 MB of buffers instead of 122 MB of strings for the
   * collector to trace and a warm start to deserialize. Inflating one takes tens of microseconds.
   */
  body: Uint8Array;
  /** Text of the first paragraph (Jekyll's default excerpt). */
  excerpt: string | null;
  /** Plain text before the first heading (see introductionOf): what the page's own search document holds. */
  introduction: string;
  /** Text of the first level-1 heading, a title for pages without one. */
  firstHeading: string | null;
  components: Component[];
  problems: ContentProblem[];
  /**
   * Every href the body links to, with how it resolved (JSON of {@link RenderedLink} pairs): the
   * render stays valid while these do. One string a page rather than two strings and an array a
   * link: every page keeps it, and every page's is read when the link context changes (a page
   * added, moved or removed), so it is kept apart from the body rather than inflated with it.
   */
  links: string;
  /**
   * The page's FAQ questions, taken by the render (JSON of `{ id, question }` pairs; `[]` for most
   * pages), their answers in the body (see {@link answerOf}): the site-wide FAQ list is made
   * without inflating or cutting a page.
   */
  faq: string;
}

/** A question of a render's FAQ as {@link RenderedPage.faq} keeps it: its answer is in the body. */
type RenderedQuestion = Omit<FaqQuestion, 'answer'>;

/** A render's body as text: the page's HTML, its sections' plain texts in document order (depth first) and its section tree. */
export interface RenderedBody {
  html: string;
  sectionTexts: string[];
  /**
   * The section tree, its HTML as ranges of `html`, as JSON without the sections' texts (see
   * {@link outlineOf}): a page's tree is dozens of objects, hundreds of thousands at 10,000 pages.
   */
  outline: string;
  /** The answers of the page's FAQ questions, in their order (see {@link RenderedPage.faq}). */
  answers: FaqQuestion['answer'][];
}

/** What {@link packRender} deflates: the body, and the page's facts for the content checks (JSON of `PageFacts`). */
interface RenderedTexts extends RenderedBody {
  facts: string;
}

/**
 * Where each text is in a packed body: the outline, the facts, the HTML, the number of FAQ
 * answers, each answer's HTML and text, then the section texts.
 */
const OUTLINE = 0;
const FACTS = 1;
const HTML = 2;
const ANSWER_COUNT = 3;
const FIRST_ANSWER = 4;

/** Deflates a render's texts (see {@link RenderedPage.body}), in the order above. */
export function packBody({ outline, facts, html, answers, sectionTexts }: RenderedTexts): Uint8Array {
  return packTexts([outline, facts, html, String(answers.length), ...answers.flatMap((answer) => [answer.html, answer.text]), ...sectionTexts]);
}

/** Packed texts, with where the section texts start in them. */
function unpackBody(rendered: Pick<RenderedPage, 'body'>): { texts: PackedTexts; answers: number; firstSection: number } {
  const texts = unpackTexts(rendered.body);
  const answers = Number(texts.text(ANSWER_COUNT)) || 0;
  return { texts, answers, firstSection: FIRST_ANSWER + 2 * answers };
}

/** A render's body as text (see {@link packBody}); the facts are left packed. */
export function bodyOf(rendered: Pick<RenderedPage, 'body'>): RenderedBody {
  const { texts, answers, firstSection } = unpackBody(rendered);
  return bodyWith(texts, answers, firstSection, (index) => texts.text(index));
}

/** A body whose texts are what `text` gives for their positions (the outline is read as it is). */
function bodyWith(texts: PackedTexts, answers: number, firstSection: number, text: (index: number) => string): RenderedBody {
  return {
    html: text(HTML),
    sectionTexts: Array.from({ length: Math.max(0, texts.count - firstSection) }, (_, index) => text(firstSection + index)),
    outline: texts.text(OUTLINE),
    answers: Array.from({ length: answers }, (_, index) => ({ html: text(FIRST_ANSWER + 2 * index), text: text(FIRST_ANSWER + 2 * index + 1) })),
  };
}

/** Cuts a body's HTML from one UTF-16 index to another, as `html.slice` does (see sectionsFrom). */
export type HtmlSlicer = (from: number, to: number) => string;

/**
 * The UTF-8 of `JSON.stringify(build(bodyOf(rendered), slice))` (see jsonWithTexts), written from
 * the bytes the body's texts were packed as, where `build` (a page as served) takes the texts
 * from the body and cuts its HTML with `slice` only: a page's JSON made without its texts decoded
 * into strings, nor the page serialized into one large string to encode again.
 */
export function jsonOfBody(rendered: Pick<RenderedPage, 'body'>, build: (body: RenderedBody, slice?: HtmlSlicer) => unknown): Buffer {
  const { texts, answers, firstSection } = unpackBody(rendered);
  return (
    jsonWithTexts(texts, (ref) => build(bodyWith(texts, answers, firstSection, ref), (from, to) => ref(HTML, from, to))) ??
    Buffer.from(JSON.stringify(build(bodyWith(texts, answers, firstSection, (index) => texts.text(index)))))
  );
}

/**
 * A render's HTML as the UTF-8 bytes it was packed as: the HTML body a page sends, read without
 * decoding the body's other texts (sections, answers) nor the HTML into a string to encode back.
 */
export function htmlBytesOf(rendered: Pick<RenderedPage, 'body'>): Buffer {
  return unpackTexts(rendered.body).bytes(HTML);
}

/** The answer to the render's FAQ question at `index` (the rest of the body is not decoded). */
export function answerOf(rendered: Pick<RenderedPage, 'body'>, index: number): FaqQuestion['answer'] {
  const texts = unpackTexts(rendered.body);
  return { html: texts.text(FIRST_ANSWER + 2 * index), text: texts.text(FIRST_ANSWER + 2 * index + 1) };
}

/** The FAQ questions of a render (see {@link RenderedPage.faq}). */
export function questionsOf(rendered: Pick<RenderedPage, 'faq'>): RenderedQuestion[] {
  return JSON.parse(rendered.faq) as RenderedQuestion[];
}

/** What the content checks need of a render's page, as JSON of `PageFacts` (the rest of the body is not decoded). */
export function factsOf(rendered: Pick<RenderedPage, 'body'>): string {
  return unpackTexts(rendered.body).text(FACTS);
}

/**
 * A render read from the warm-start pack with a body of its own: V8's deserializer gives a typed
 * array as a view of the chunk it was read from, which would keep every chunk of the pack alive.
 */
export function withOwnBody(rendered: RenderedPage): RenderedPage {
  return { ...rendered, body: new Uint8Array(rendered.body) };
}

/** The section tree of a render's body, with each section's text. */
export function outlineOf(body: RenderedBody): SectionOutline[] {
  const sections = JSON.parse(body.outline) as SectionOutline[];
  let at = 0;
  for (const section of walkSections(sections)) section.text = body.sectionTexts[at++] ?? '';
  return sections;
}

/**
 * The section with this heading id, its subsections and their texts, and the page's HTML their
 * ranges are of. The outline is read once, and only the texts of that section decoded: a page
 * of thousands of sections answers for one of them in a few milliseconds.
 */
export function sectionOutlineOf(rendered: Pick<RenderedPage, 'body'>, id: string): { section: SectionOutline; html: string } | undefined {
  const { texts, firstSection } = unpackBody(rendered);
  let at = 0;
  for (const section of walkSections(JSON.parse(texts.text(OUTLINE)) as SectionOutline[])) {
    if (section.id === id) {
      // A section and its subsections are consecutive in document order, from its own position on.
      for (const part of walkSections([section])) part.text = texts.text(firstSection + at++);
      return { section, html: texts.text(HTML) };
    }
    at += 1;
  }
  return undefined;
}

/** A render's HTML, section tree, facts and FAQ as {@link RenderedPage} keeps them. */
export function packRender(render: { html: string; sections: SectionOutline[]; facts: string; questions: readonly FaqQuestion[] }): Pick<RenderedPage, 'body' | 'faq'> {
  const sectionTexts = [...walkSections(render.sections)].map((section) => section.text);
  const outline = JSON.stringify(render.sections, (key, value: unknown) => (key === 'text' ? undefined : value));
  const answers = render.questions.map((question) => question.answer);
  return {
    body: packBody({ outline, facts: render.facts, html: render.html, answers, sectionTexts }),
    faq: JSON.stringify(render.questions.map(({ id, question }) => ({ id, question }))),
  };
}

/** A link of a render: its href (or an image's {@link IMAGE_LINK}-marked `src`) and its resolution as JSON. */
export type RenderedLink = [href: string, resolution: string];

/** The links of a render (see {@link RenderedPage.links}). */
export function linksOf(rendered: RenderedPage): RenderedLink[] {
  return JSON.parse(rendered.links) as RenderedLink[];
}

/** Marks an image's `src` among a render's links (see linksStillResolve). */
export const IMAGE_LINK = 'img:';

/** Whether a cached render still holds: every link and image it made still resolves the same way. */
export function linksStillResolve(rendered: RenderedPage, entry: PageEntry, context: LinkResolver): boolean {
  return linksOf(rendered).every(([href, resolution]) =>
    JSON.stringify(href.startsWith(IMAGE_LINK) ? context.resolveImage(href.slice(IMAGE_LINK.length), entry) : context.resolveLink(href, entry)) === resolution);
}
