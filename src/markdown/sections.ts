import type { Element, ElementContent, Root, RootContent } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toHtml } from 'hast-util-to-html';
import { toString } from 'hast-util-to-string';
import type { Section, TocEntry } from '../../schemas/section.ts';

/** A section with its heading's HTML, so whole-section fragments are joined from stored strings. */
export interface SectionNode extends Section {
  headingHtml: string;
  children: SectionNode[];
}

/** The page body cut at its headings: the section tree and the table of contents. */
export interface PageOutline {
  sections: SectionNode[];
  toc: TocEntry[];
}

/**
 * Splits a rendered page at its top-level headings into a tree of sections: each heading owns
 * the content up to the next heading, and deeper headings nest under it. Only strings are kept,
 * so the syntax tree can be dropped once the page is rendered.
 */
export function outlinePage(tree: Root): PageOutline {
  const roots: SectionNode[] = [];
  const open: { section: SectionNode; body: RootContent[] }[] = [];
  const all: { section: SectionNode; body: RootContent[] }[] = [];
  const toc: TocEntry[] = [];
  for (const node of tree.children) {
    const level = node.type === 'element' ? headingRank(node) : undefined;
    if (level === undefined) {
      open.at(-1)?.body.push(node);
      continue;
    }
    const heading = node as Element;
    const section: SectionNode = {
      id: String(heading.properties.id ?? ''),
      title: toString(heading).replace(/\s+/g, ' ').trim(),
      level,
      html: '',
      text: '',
      headingHtml: toHtml(heading),
      children: [],
    };
    toc.push({ id: section.id, title: section.title, level });
    while (open.length > 0 && open.at(-1)!.section.level >= level) open.pop();
    (open.at(-1)?.section.children ?? roots).push(section);
    const entry = { section, body: [] };
    open.push(entry);
    all.push(entry);
  }
  for (const { section, body } of all) {
    section.html = toHtml({ type: 'root', children: body } as Root).trim();
    section.text = plainText(body);
  }
  return { sections: roots, toc };
}

/** Every section of a tree, depth first, in document order. */
export function* walkSections(sections: SectionNode[]): Generator<SectionNode> {
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
