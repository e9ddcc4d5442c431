import type { Component } from '../../schemas/page.ts';
import type { SectionOutline } from '../markdown/sections.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { PageEntry } from './entry.ts';
import type { LinkResolver } from './links.ts';

/** What rendering a page body produced: plain data, so it can come back from a worker or the disk cache. */
export interface RenderedPage {
  html: string;
  /** The section tree, its HTML as ranges of `html`; the table of contents and the FAQ are derived from it when the page is assembled. */
  sections: SectionOutline[];
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
