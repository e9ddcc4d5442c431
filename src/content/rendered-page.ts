import type { Component } from '../../schemas/page.ts';
import { walkSections, type SectionOutline } from '../markdown/sections.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { PageEntry } from './entry.ts';
import type { LinkResolver } from './links.ts';

/** What rendering a page body produced: plain data, so it can come back from a worker or the disk cache. */
export interface RenderedPage {
  html: string;
  /**
   * The section tree, its HTML as ranges of `html` (see {@link outlineOf}): the table of contents,
   * the sections and the FAQ are derived from it when used. Kept as JSON without the sections'
   * texts, and the texts in document order, rather than as objects: a page's tree is dozens of
   * objects (sections, ranges, child lists), hundreds of thousands at 10,000 pages for the
   * collector to trace and a warm start to deserialize, and it is read only when a page's sections are.
   */
  outline: string;
  /** Plain text of each section, in document order (depth first), for {@link outlineOf}. */
  sectionTexts: string[];
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

/** The section tree of a render, with each section's text (see {@link RenderedPage.outline}). */
export function outlineOf(rendered: Pick<RenderedPage, 'outline' | 'sectionTexts'>): SectionOutline[] {
  const sections = JSON.parse(rendered.outline) as SectionOutline[];
  let at = 0;
  for (const section of walkSections(sections)) section.text = rendered.sectionTexts[at++] ?? '';
  return sections;
}

/** A render's section tree as {@link RenderedPage} keeps it. */
export function compactOutline(sections: SectionOutline[]): Pick<RenderedPage, 'outline' | 'sectionTexts'> {
  const texts = [...walkSections(sections)].map((section) => section.text);
  return { outline: JSON.stringify(sections, (key, value: unknown) => (key === 'text' ? undefined : value)), sectionTexts: texts };
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
