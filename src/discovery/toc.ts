import type { TableOfContents, TocNode } from '../../schemas/navigation.ts';
import type { TocEntry } from '../../schemas/section.ts';
import { walkSections } from '../markdown/sections.ts';
import type { PageRecord } from '../model/page-record.ts';

/** The minimal-mistakes theme's default heading of a table of contents. */
const DEFAULT_LABEL = 'On this page';

/**
 * A page's table of contents as its front matter asks for it: shown only with `toc: true` (as
 * the minimal-mistakes theme shows it), titled by `toc_label`, with `toc_icon` and `toc_sticky`;
 * the headings as a tree, `depth` levels deep counted from the page's top heading level.
 */
export function tableOfContents(record: PageRecord, depth: number): TableOfContents {
  const frontMatter = record.frontMatter;
  const enabled = frontMatter.toc === true;
  return {
    page: record.summary.slug,
    enabled,
    label: typeof frontMatter.toc_label === 'string' && frontMatter.toc_label.trim() !== '' ? frontMatter.toc_label : DEFAULT_LABEL,
    icon: typeof frontMatter.toc_icon === 'string' ? frontMatter.toc_icon : null,
    sticky: frontMatter.toc_sticky === true,
    depth,
    items: enabled ? headingTree([...walkSections(record.outline)], depth) : [],
  };
}

/** Nests a flat, ordered list of headings under their parents, keeping `depth` levels from the top one. */
export function headingTree(headings: readonly TocEntry[], depth: number): TocNode[] {
  if (headings.length === 0) return [];
  const top = Math.min(...headings.map((heading) => heading.level));
  const roots: TocNode[] = [];
  const open: TocNode[] = [];
  for (const heading of headings) {
    if (heading.level - top >= depth) continue;
    const node: TocNode = { id: heading.id, title: heading.title, level: heading.level, children: [] };
    while (open.length > 0 && open.at(-1)!.level >= node.level) open.pop();
    (open.at(-1)?.children ?? roots).push(node);
    open.push(node);
  }
  return roots;
}
