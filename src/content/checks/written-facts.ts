import type { Element, Root } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { Node } from 'unist';
import { VFile } from 'vfile';
import { remarkHeadingIds } from '../../markdown/remark-heading-ids.ts';
import { rehypeRawWhenNeeded } from '../../markdown/rehype-raw-when-needed.ts';
import type { FilePosition, PageFacts, WrittenHeading, WrittenReference } from '../../model/page-facts.ts';
import { mayNameMissingTarget } from './references.ts';
import { walk } from '../../markdown/walk.ts';

// Not the serving renderer: no templating, no sanitizing, no link rewriting, so that what the
// author wrote (and where) is what the checks see. Heading ids come from the same plugin. The
// render goes through the same steps first: for a plain markdown page its tree is used as it is,
// for a markdown page whose text reaches the parser as written (no Liquid in it) on a site with
// its own remark plugins (kramdown) a copy of its syntax tree from before them; only the others
// (Liquid in the body, HTML pages) are parsed here again (see render-page.ts).
const parser = unified().use(remarkParse).use(remarkGfm).freeze();
const toWrittenTree = unified()
  .use(remarkHeadingIds)
  .use(remarkRehype, { allowDangerousHtml: true })
  // Only for pages with raw HTML: passing a whole tree through the HTML parser took 1.8 s for a page of 4,000 sections.
  .use(rehypeRawWhenNeeded)
  .freeze();

/** A page body as its author wrote it: an HTML tree whose nodes keep their source positions (markdown and inline HTML alike). */
export function writtenTreeOf(body: string): Root {
  return writtenTreeFrom(parser.parse(new VFile({ value: body })), body);
}

/** The written tree of a body from its markdown syntax tree as parsed (remark-parse with GFM), which it changes. */
export function writtenTreeFrom(markdown: MdastRoot, body: string): Root {
  return toWrittenTree.runSync(markdown, new VFile({ value: body }));
}

/** Elements whose attribute loads a file into the page. */
const EMBEDDING: Record<string, string[]> = {
  img: ['src'],
  source: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  embed: ['src'],
};

/**
 * The links and embedded files (those that could point at something missing) and the headings
 * of a body's written tree, in document order, at their file positions (`bodyLine` is the file
 * line of the body's first line; a node without a position is at the body's first line).
 */
export function writtenFactsOf(tree: Root, bodyLine: number): Pick<PageFacts, 'references' | 'headings'> {
  const references: WrittenReference[] = [];
  const headings: WrittenHeading[] = [];
  const positionOf = (node: Node): FilePosition => {
    const start = node.position?.start;
    return start ? { line: start.line + bodyLine - 1, column: start.column } : { line: bodyLine, column: 1 };
  };
  walk(tree, 'element', (node: Element) => {
    const rank = headingRank(node);
    if (rank !== undefined) {
      const { id } = node.properties;
      headings.push({ rank, text: toString(node).trim(), id: typeof id === 'string' ? id : null, ...positionOf(node) });
    }
    const attributes = node.tagName === 'a' ? ['href'] : EMBEDDING[node.tagName] ?? [];
    for (const attribute of attributes) {
      const value = node.properties[attribute];
      if (typeof value !== 'string') continue;
      const url = value.trim();
      if (mayNameMissingTarget(node.tagName, url)) references.push({ tagName: node.tagName, url, ...positionOf(node) });
    }
  });
  return { references, headings };
}

/** The ids of a served tree's elements, in document order. */
export function servedIdsOf(tree: Root): string[] {
  const ids = new Set<string>();
  walk(tree, 'element', (node: Element) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  return [...ids];
}
