import type { Element, ElementContent, Root, RootContent } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toHtml } from 'hast-util-to-html';
import { toString } from 'hast-util-to-string';
import type { Section, TocEntry } from '../../schemas/section.ts';

/** A section with the hast it came from, so fragments can be rendered without re-parsing. */
export interface SectionNode extends Section {
  heading: Element;
  body: RootContent[];
  children: SectionNode[];
}

/** The page body cut at its headings: content before the first heading, then the section tree. */
export interface PageOutline {
  sections: SectionNode[];
  toc: TocEntry[];
}

/**
 * Splits a rendered page at its top-level headings into a tree of sections: each heading owns
 * the content up to the next heading, and deeper headings nest under it.
 */
export function outlinePage(tree: Root): PageOutline {
  const roots: SectionNode[] = [];
  const open: SectionNode[] = [];
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
      title: toString(heading).trim(),
      level,
      html: '',
      text: '',
      heading,
      body: [],
      children: [],
    };
    toc.push({ id: section.id, title: section.title, level });
    while (open.length > 0 && open.at(-1)!.level >= level) open.pop();
    (open.at(-1)?.children ?? roots).push(section);
    open.push(section);
  }
  for (const section of walkSections(roots)) {
    const body = { type: 'root', children: section.body } as Root;
    section.html = toHtml(body).trim();
    section.text = plainText(section.body);
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

/** HTML of a whole section: its body and its subsections with their headings (not its own heading). */
export function sectionContentHtml(section: SectionNode): string {
  return toHtml({ type: 'root', children: sectionContent(section) } as Root).trim();
}

/** HTML of a whole section including its own heading, as a frontend would show it alone. */
export function sectionFragmentHtml(section: SectionNode): string {
  return toHtml({ type: 'root', children: [section.heading, ...sectionContent(section)] } as Root).trim();
}

/** Plain text of a whole section (body and subsections). */
export function sectionContentText(section: SectionNode): string {
  return plainText(sectionContent(section));
}

function sectionContent(section: SectionNode): RootContent[] {
  return [...section.body, ...section.children.flatMap((child) => [child.heading, ...sectionContent(child)])];
}

function plainText(nodes: RootContent[]): string {
  return nodes
    .map((node) => toString(node as ElementContent))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Strips the hast back-references so a section can be served as JSON. */
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
