import type { Html, Root, RootContent } from 'mdast';
import type { Processor } from 'unified';
import type { Point, Position } from 'unist';
import { visit } from 'unist-util-visit';

/**
 * kramdown's `markdown="1"` HTML blocks (`parse_block_html` per element), which CommonMark leaves
 * raw. CommonMark ends an HTML block at the first blank line, so `<div class="notice" markdown="1">` followed by a blank line already leaves its content
 * to markdown; without blank lines the whole element is one raw `html` node. This plugin splits
 * such a node in mdast: the opening tag (minus `markdown`) and anything after the matching closing
 * tag stay raw `html` nodes, and the text in between is parsed with this processor's own parser
 * (so GFM and nested `markdown="1"` blocks work) and spliced in as real mdast nodes, with positions
 * mapped to the file. rehype-raw then joins the raw tags around the rendered children into one
 * element, exactly as it does for blank-line-separated blocks; a pipeline without rehype-raw drops
 * the raw wrapper but keeps the rendered content. `markdown="0"` only loses the attribute.
 * Splitting in mdast keeps every later remark plugin (ids, links, the IAL pass of
 * remark-kramdown-ial.ts) working on the inner content, which a rehype-level re-parse would not.
 *
 * Register it before remarkKramdownIal, so attribute lists inside the expanded content are read too.
 */
export function remarkKramdownMarkdownInHtml(this: Processor) {
  const processor = this;
  return (tree: Root) => {
    expandMarkdownInHtml(tree, (text) => processor.parse(text) as Root);
  };
}

const OPENING_TAG = /^[ \t]*<([A-Za-z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*>/gm;
const MARKDOWN_ATTRIBUTE = /\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/i;

function expandMarkdownInHtml(tree: Root, parse: (text: string) => Root): void {
  visit(tree, 'html', (node, index, parent) => {
    if (!parent || index === undefined || parent.type === 'paragraph' || parent.type === 'heading') return;
    const opening = findMarkdownTag(node.value);
    if (!opening) return;
    const { start, end, name, tag, mode } = opening;
    const after = node.value.slice(end);

    if (mode === '0') {
      node.value = node.value.slice(0, start) + tag + after;
      return;
    }

    const closeAt = findClosingTag(after, name);
    const inner = closeAt === undefined ? after : after.slice(0, closeAt);
    const rest = closeAt === undefined ? '' : after.slice(closeAt);
    const origin = node.position?.start;

    const replacement: RootContent[] = [];
    if (node.value.slice(0, start).trim()) replacement.push(rawHtml(node.value.slice(0, start), node.value, 0, origin));
    replacement.push(rawHtml(tag, node.value, start, origin));
    const parsed = parse(inner);
    if (origin) shiftPositions(parsed, pointIn(node.value, end, origin));
    const children =
      mode === 'span' && parsed.children.length === 1 && parsed.children[0].type === 'paragraph'
        ? parsed.children[0].children
        : parsed.children;
    replacement.push(...children);
    if (rest) replacement.push(rawHtml(rest, node.value, end + (closeAt ?? 0), origin));

    parent.children.splice(index, 1, ...(replacement as typeof parent.children));
    // Revisit from the same index: the rewritten tag no longer matches, and nested
    // markdown="1" blocks in the parsed content or after the closing tag get expanded too.
    return index;
  });
}

interface MarkdownTag {
  start: number;
  end: number;
  name: string;
  /** The opening tag without its markdown attribute. */
  tag: string;
  mode: string;
}

function findMarkdownTag(value: string): MarkdownTag | undefined {
  for (const match of value.matchAll(OPENING_TAG)) {
    const attribute = MARKDOWN_ATTRIBUTE.exec(match[2]);
    if (!attribute) continue;
    const indent = match[0].length - match[0].trimStart().length;
    const attributes = match[2].replace(attribute[0], '');
    return {
      start: match.index + indent,
      end: match.index + match[0].length,
      name: match[1],
      tag: `<${match[1]}${attributes}>`,
      mode: (attribute[1] ?? attribute[2] ?? attribute[3]).toLowerCase(),
    };
  }
  return undefined;
}

/** Index of the `</name>` that closes an element opened just before `html`, counting nesting. */
function findClosingTag(html: string, name: string): number | undefined {
  const tags = new RegExp(`<(/?)${name}(?=[\\s>/])[^>]*?(/?)>`, 'gi');
  let depth = 1;
  for (const match of html.matchAll(tags)) {
    if (match[1]) depth -= 1;
    else if (!match[2]) depth += 1;
    if (depth === 0) return match.index;
  }
  return undefined;
}

function rawHtml(value: string, whole: string, offset: number, origin: Point | undefined): Html {
  const node: Html = { type: 'html', value };
  if (origin) node.position = { start: pointIn(whole, offset, origin), end: pointIn(whole, offset + value.length, origin) };
  return node;
}

/** The file point of `value[index]`, for a value that starts at `origin`. */
function pointIn(value: string, index: number, origin: Point): Point {
  const before = value.slice(0, index);
  const newlines = before.split('\n').length - 1;
  const column = newlines === 0 ? origin.column + index : index - before.lastIndexOf('\n');
  return { line: origin.line + newlines, column, offset: (origin.offset ?? 0) + index };
}

/** Maps positions of a tree parsed from a slice of the file back to the file. */
function shiftPositions(tree: Root, origin: Point): void {
  const shift = (point: Point): Point => ({
    line: point.line + origin.line - 1,
    column: point.line === 1 ? point.column + origin.column - 1 : point.column,
    offset: (point.offset ?? 0) + (origin.offset ?? 0),
  });
  visit(tree, (node) => {
    if (node.position) node.position = { start: shift(node.position.start), end: shift(node.position.end) } satisfies Position;
  });
}
