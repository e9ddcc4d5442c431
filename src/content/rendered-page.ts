import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Component } from '../../schemas/page.ts';
import { walkSections, type SectionOutline } from '../markdown/sections.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { PageEntry } from './entry.ts';
import type { LinkResolver } from './links.ts';

/** What rendering a page body produced: plain data, so it can come back from a worker or the disk cache. */
export interface RenderedPage {
  /**
   * The page's HTML and the plain text of each of its sections, deflated together (see
   * {@link bodyOf}). They are most of a render (about 7.7 KB of a seed page's 9.9), read only when a
   * page is first serialized, its sections are asked for or an index is built, so they are kept off
   * the JS heap at about a quarter of their size: at 10,000 pages, 22 MB of buffers instead of
   * 77 MB of strings for the collector to trace and a warm start to deserialize. Inflating one
   * takes tens of microseconds.
   */
  body: Uint8Array;
  /**
   * The section tree, its HTML as ranges of the body's HTML (see {@link outlineOf}): the table of
   * contents, the sections and the FAQ are derived from it when used. Kept as JSON without the
   * sections' texts (they are in the body, in document order) rather than as objects: a page's
   * tree is dozens of objects (sections, ranges, child lists), hundreds of thousands at 10,000
   * pages, and it is read only when a page's sections are.
   */
  outline: string;
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
   * link: every page keeps it, and it is read only when the pages it links to change.
   */
  links: string;
  /** What the content checks need of the page ({@link PageFacts}), as JSON (see PageRecord's `facts`). */
  facts: string;
}

/** A render's body as text: the page's HTML and its sections' plain texts in document order (depth first). */
export interface RenderedBody {
  html: string;
  sectionTexts: string[];
}

/**
 * Deflates a render's body (see {@link RenderedPage.body}): a line of byte lengths (the HTML's,
 * then each section text's), then the texts, in UTF-8.
 */
export function packBody({ html, sectionTexts }: RenderedBody): Uint8Array {
  const lengths = [html, ...sectionTexts].map((text) => Buffer.byteLength(text)).join(',');
  // Copied into memory of its own: a small Buffer is a view of a shared pool, which a worker's
  // message would copy whole, and which would keep the pool alive for as long as the render.
  return new Uint8Array(deflateRawSync(`${lengths}\n${html}${sectionTexts.join('')}`));
}

/** A render's body inflated: its bytes, where each text starts in them, and the texts' byte lengths (the HTML's first). */
function inflateBody(rendered: Pick<RenderedPage, 'body'>): { bytes: Buffer; starts: number[]; lengths: number[] } {
  const bytes = inflateRawSync(rendered.body);
  const header = bytes.indexOf(0x0a);
  const lengths = bytes.toString('latin1', 0, header).split(',').map(Number);
  const starts: number[] = [];
  let at = header + 1;
  for (const length of lengths) {
    starts.push(at);
    at += length;
  }
  return { bytes, starts, lengths };
}

/**
 * A render's body as text (see {@link packBody}). Each text is decoded on its own, not sliced
 * from one string: a slice would keep the whole body alive for as long as any part is kept
 * (the search index keeps the section texts, the FAQ list its entries).
 */
export function bodyOf(rendered: Pick<RenderedPage, 'body'>): RenderedBody {
  const { bytes, starts, lengths } = inflateBody(rendered);
  const [html = '', ...sectionTexts] = starts.map((start, index) => bytes.toString('utf8', start, start + lengths[index]));
  return { html, sectionTexts };
}

/**
 * A render read from the warm-start pack with a body of its own: V8's deserializer gives a typed
 * array as a view of the chunk it was read from, which would keep every chunk of the pack alive.
 */
export function withOwnBody(rendered: RenderedPage): RenderedPage {
  return { ...rendered, body: new Uint8Array(rendered.body) };
}

/** The section tree of a render, with each section's text (see {@link RenderedPage.outline}). */
export function outlineOf(rendered: Pick<RenderedPage, 'outline'>, body: RenderedBody): SectionOutline[] {
  const sections = JSON.parse(rendered.outline) as SectionOutline[];
  let at = 0;
  for (const section of walkSections(sections)) section.text = body.sectionTexts[at++] ?? '';
  return sections;
}

/**
 * The section with this heading id, its subsections and their texts, and the page's HTML their
 * ranges are of. The outline is read once, and the body inflated only for a section the page has:
 * a page of thousands of sections answers for one of them in a few milliseconds.
 */
export function sectionOutlineOf(rendered: Pick<RenderedPage, 'outline' | 'body'>, id: string): { section: SectionOutline; html: string } | undefined {
  let at = 0;
  for (const section of walkSections(JSON.parse(rendered.outline) as SectionOutline[])) {
    if (section.id === id) {
      const { bytes, starts, lengths } = inflateBody(rendered);
      const text = (index: number) => (index < starts.length ? bytes.toString('utf8', starts[index], starts[index] + lengths[index]) : '');
      // A section and its subsections are consecutive in document order, from its own position on
      // (the texts follow the HTML in the body): only theirs are decoded.
      for (const part of walkSections([section])) part.text = text(1 + at++);
      return { section, html: text(0) };
    }
    at += 1;
  }
  return undefined;
}

/** A render's section tree and body as {@link RenderedPage} keeps them. */
export function compactOutline(html: string, sections: SectionOutline[]): Pick<RenderedPage, 'outline' | 'body'> {
  const sectionTexts = [...walkSections(sections)].map((section) => section.text);
  return { outline: JSON.stringify(sections, (key, value: unknown) => (key === 'text' ? undefined : value)), body: packBody({ html, sectionTexts }) };
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
