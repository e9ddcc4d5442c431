import type { Element, ElementContent, Root, RootContent } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toHtml } from 'hast-util-to-html';
import { toString } from 'hast-util-to-string';
import { SectionIdSchema, type Section, type TocEntry } from '../../schemas/section.ts';
import type { SectionNode } from '../model/section-node.ts';

/** Where a part of a section sits in the page HTML: [start, end) offsets. */
export type HtmlRange = [start: number, end: number];

/**
 * A section as rendering leaves it: plain data whose HTML is ranges of the page HTML, so a
 * rendered page carries (to the main thread, into the warm-start pack) each piece of HTML once.
 */
export interface SectionOutline extends Omit<Section, 'html' | 'children'> {
  heading: HtmlRange;
  body: HtmlRange;
  children: SectionOutline[];
}

/** The page body as HTML, cut at its headings: the section tree and the table of contents. */
export interface PageOutline {
  html: string;
  sections: SectionOutline[];
  toc: TocEntry[];
  /** The headings left inside a section because no route takes their id (see outlinePage). */
  unlisted: UnlistedHeading[];
}

/** A heading that is not a section: its id (none, or too long), its text, and where the body has it. */
export interface UnlistedHeading {
  id: string | null;
  title: string;
  /** Line and column in the body as rendered; null for a heading with no position. */
  at: { line: number; column: number } | null;
}

/**
 * Serializes a rendered page and splits it at its top-level headings into a tree of sections:
 * each heading owns the content up to the next heading, and deeper headings nest under it. Each
 * top-level node is serialized once; the page HTML is their concatenation and a section's HTML a
 * range of it. Only strings and numbers are kept, so the syntax tree can be dropped.
 */
export function outlinePage(tree: Root): PageOutline {
  const pieces = tree.children.map((node) => toHtml({ type: 'root', children: [node] }));
  const starts: number[] = [];
  let length = 0;
  for (const piece of pieces) {
    starts.push(length);
    length += piece.length;
  }
  starts.push(length);
  const html = compactString(pieces.join(''));

  const roots: SectionOutline[] = [];
  const open: SectionOutline[] = [];
  const all: { section: SectionOutline; body: RootContent[]; first: number; last: number }[] = [];
  const toc: TocEntry[] = [];
  const unlisted: UnlistedHeading[] = [];
  tree.children.forEach((node, index) => {
    let level = node.type === 'element' ? headingRank(node) : undefined;
    // A heading no section route could be asked for (no id, or an explicit one too long) stays
    // content of the section it is in, rather than be listed with an id that answers 400.
    if (level !== undefined && !SectionIdSchema.safeParse((node as Element).properties.id).success) {
      const { id } = (node as Element).properties;
      const start = node.position?.start;
      unlisted.push({
        id: typeof id === 'string' ? id : null,
        title: toString(node).replace(/\s+/g, ' ').trim(),
        at: start ? { line: start.line, column: start.column } : null,
      });
      level = undefined;
    }
    if (level === undefined) {
      const current = all.at(-1);
      if (current && open.length > 0) {
        current.body.push(node);
        current.last = index + 1;
      }
      return;
    }
    const heading = node as Element;
    const section: SectionOutline = {
      id: String(heading.properties.id ?? ''),
      title: toString(heading).replace(/\s+/g, ' ').trim(),
      level,
      heading: [starts[index], starts[index + 1]],
      body: [starts[index + 1], starts[index + 1]],
      text: '',
      children: [],
    };
    toc.push({ id: section.id, title: section.title, level });
    while (open.length > 0 && open.at(-1)!.level >= level) open.pop();
    (open.at(-1)?.children ?? roots).push(section);
    open.push(section);
    all.push({ section, body: [], first: index + 1, last: index + 1 });
  });
  for (const { section, body, first, last } of all) {
    section.body = trimmedRange(html, starts[first], starts[last]);
    section.text = plainText(body);
  }
  return { html, sections: roots, toc, unlisted };
}

/**
 * The same text stored one byte per character when it has no character past U+00FF. V8 makes a
 * joined string two bytes per character if any piece was, even when every character would fit in
 * one, and hast-util-to-html's pieces often are: the page HTML, kept for every page, took twice
 * the memory it needs (88 MB instead of 44 MB at 10,000 pages). Decoding the Latin-1 bytes makes a
 * one-byte string.
 */
function compactString(text: string): string {
  return /[^\x00-\xff]/.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

/** The range without the whitespace at its ends (as String.prototype.trim would cut it). */
function trimmedRange(html: string, start: number, end: number): HtmlRange {
  const text = html.slice(start, end);
  const lead = text.length - text.trimStart().length;
  const trail = text.length - text.trimEnd().length;
  return lead === text.length ? [start, start] : [start + lead, end - trail];
}

/**
 * The sections with their HTML, cut from the page HTML. The cuts are slices, which V8 keeps as
 * views of the page's string, so the page's HTML is held in memory once. `slice` cuts it
 * otherwise (a page's JSON written from its packed bytes takes references to the ranges).
 */
export function sectionsFrom(
  html: string,
  outline: SectionOutline[],
  slice = (from: number, to: number) => html.slice(from, to),
): SectionNode[] {
  return outline.map(({ heading, body, children, ...section }) => ({
    ...section,
    headingHtml: slice(heading[0], heading[1]),
    html: slice(body[0], body[1]),
    children: sectionsFrom(html, children, slice),
  }));
}

/** Every section of a tree, depth first, in document order. */
export function* walkSections<T extends { children: T[] }>(sections: T[]): Generator<T> {
  for (const section of sections) {
    yield section;
    yield* walkSections(section.children);
  }
}

/** HTML of a whole section without its own heading: its body, then its subsections with their headings. */
export function sectionContentHtml(section: SectionNode): string {
  return [section.html, ...section.children.map(sectionFragmentHtml)].filter(Boolean).join('\n');
}

/** HTML of a whole section including its own heading, as a frontend would show it alone. */
export function sectionFragmentHtml(section: SectionNode): string {
  return [section.headingHtml, sectionContentHtml(section)].filter(Boolean).join('\n');
}

/** Plain text of a whole section (body and subsections, with their headings). */
export function sectionContentText(section: SectionNode): string {
  return [section.text, ...section.children.map((child) => `${child.title} ${sectionContentText(child)}`)].filter(Boolean).join(' ').trim();
}

function plainText(nodes: RootContent[]): string {
  return nodes
    .map((node) => toString(node as ElementContent))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The section as served in JSON (without the heading HTML kept for fragments). */
export function toPlainSection(section: SectionNode): Section {
  return {
    id: section.id,
    title: section.title,
    level: section.level,
    html: section.html,
    text: section.text,
    children: section.children.map(toPlainSection),
  };
}
