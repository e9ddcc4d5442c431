import type { Root } from 'hast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { Node } from 'unist';
import { VFile } from 'vfile';
import { remarkHeadingIds } from '../../markdown/remark-heading-ids.ts';
import { parseFrontMatter, splitFrontMatter } from '../front-matter.ts';
import { rehypeRawWhenNeeded } from '../../markdown/rehype-raw-when-needed.ts';
import { locateField } from '../locate.ts';

/** A file position: 1-based line and column of the whole file. */
export interface FilePosition {
  line: number;
  column: number;
}

/**
 * A page file as its author wrote it, for checks that point at lines: the body as an HTML tree
 * whose nodes keep their source positions (markdown and inline HTML alike), and the front matter
 * as written, before site defaults.
 */
export interface PageSource {
  tree: Root;
  /** File line of the first body line. */
  bodyLine: number;
  frontMatter: Readonly<Record<string, unknown>>;
  /** File position of a top-level front-matter key (the block's first line when it is absent). */
  positionOfKey(key: string): FilePosition;
  /** File position of a body node (the body's first line when the node has none). */
  positionOf(node: Node): FilePosition;
}

// Not the serving renderer: no templating, no sanitizing, no link rewriting, so that what the
// author wrote (and where) is what the checks see. Heading ids come from the same plugin.
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkHeadingIds)
  .use(remarkRehype, { allowDangerousHtml: true })
  // Only for pages with raw HTML: passing a whole tree through the HTML parser took 1.8 s for a page of 4,000 sections.
  .use(rehypeRawWhenNeeded)
  .freeze();

/** Reads a page's source text into a {@link PageSource}. */
export function readPageSource(text: string): PageSource {
  const split = splitFrontMatter(text);
  const parsed = parseFrontMatter(split.yaml, split.yamlLine);
  const file = new VFile({ value: split.body });
  const tree = processor.runSync(processor.parse(file), file);
  return {
    tree,
    bodyLine: split.bodyLine,
    frontMatter: parsed.data,
    positionOfKey(key) {
      if (!parsed.document) return { line: parsed.yamlLine, column: 1 };
      const position = locateField(parsed.document, [key], parsed.lineCounter);
      return { line: parsed.yamlLine + position.line - 1, column: position.col };
    },
    positionOf(node) {
      const start = node.position?.start;
      return start ? { line: start.line + split.bodyLine - 1, column: start.column } : { line: split.bodyLine, column: 1 };
    },
  };
}
