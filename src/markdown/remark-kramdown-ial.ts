import type { Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import type { Node, Point } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/** What one attribute list (`{: .notice #intro target="_blank"}`) says. */
export interface AttributeList {
  classes: string[];
  id?: string;
  attributes: Record<string, string>;
}

// `{:` then anything up to `}`; not `{::extension}`, `{:/}` or an ALD definition `{:name: …}`.
const IAL = String.raw`\{:(?![:/]|\w[\w-]*:)((?:\\\}|[^}\n])*)\}`;
const SPAN_IAL = new RegExp(`^${IAL}`);
const LINE_IAL = new RegExp(String.raw`^[ \t]*${IAL}[ \t]*$`);
const HEADING_IAL = new RegExp(String.raw`[ \t]*(?:${IAL}|\{(#[A-Za-z][\w:-]*)\})[ \t]*$`);
const HTML_IAL_LINE = new RegExp(String.raw`^[ \t]*${IAL}[ \t]*(?:\r?\n|$)`, 'gm');
const ATTRIBUTE_TOKEN = /([\w-]+)=(?:"((?:\\"|[^"])*)"|'((?:\\'|[^'])*)'|([^\s"'}]+))|([#.][^\s"'#.]+(?:[#.][^\s"'#.]+)*)|(\S+)/g;

/** Inline nodes a span IAL written right after them (`[x](u){: .btn}`) applies to. */
const SPAN_TARGETS = new Set(['link', 'linkReference', 'image', 'imageReference', 'emphasis', 'strong', 'delete', 'inlineCode']);
/** Containers a block IAL written after their last lazy line applies to (kramdown ends them there). */
const LAZY_CONTAINERS = new Set(['blockquote', 'list']);
/** Raw HTML whose text is literal, so an IAL-looking line in it is content. */
const LITERAL_HTML = /<(?:pre|code|textarea|script|style)[\s>]|^\s*<(?:!--|\?|!\[CDATA\[|![A-Za-z])/i;

const UNATTACHED_HINT =
  'kramdown applies a block attribute list to the block right above it (no blank line between) ' +
  'or, after a blank line, to the block below it; raw HTML cannot take one, so put the class in the HTML tag.';

/**
 * kramdown's inline attribute lists (IALs) for Jekyll content, which remark parses as plain text.
 *
 * - A block IAL on its own line applies to the block it ends: `Text\n{: .notice}` (a paragraph),
 *   a heading, a code block, a table (GFM reads the line as a last row), and — because kramdown ends
 *   a blockquote or list at an IAL line where CommonMark sees a lazy continuation — the outermost
 *   blockquote or list whose lazy last line it is (`> quote\n{: .highlight-quote}`). After a blank
 *   line it applies to the next block, as in kramdown. An IAL in the middle of a paragraph ends it.
 * - A span IAL right after a link, image, emphasis, strong or code span applies to that node:
 *   `[Apply](https://…){: .btn .btn--primary}`, `[x](u){:target="_blank"}`.
 * - Header ids and IALs at the end of a heading line (`## Title {#custom}`) apply to the heading.
 *
 * Classes, ids and attributes go to `node.data.hProperties` (`class` as a `className` array), so
 * remark-rehype puts them on the element; the IAL text is removed. An IAL that has nothing to
 * attach to (or only raw HTML) is removed too and reported (`kramdown-ial-unattached`).
 * `markdown="1"` HTML blocks are expanded by remarkKramdownMarkdownInHtml, registered before this.
 */
export function remarkKramdownIal() {
  return (tree: Root, file: VFile) => {
    applySpanAttributeLists(tree);
    applyHeadingAttributeLists(tree);
    applyTableAttributeLists(tree);
    applyBlockAttributeLists(tree, file);
    removeAttributeListsFromHtml(tree, file);
  };
}

/** Reads the inside of an IAL (`.a .b #id key="v"`) the way kramdown does. Unknown words are ignored. */
export function parseAttributeList(source: string): AttributeList {
  const list: AttributeList = { classes: [], attributes: {} };
  for (const match of source.matchAll(ATTRIBUTE_TOKEN)) {
    const [, key, doubleQuoted, singleQuoted, bare, idsAndClasses] = match;
    if (key) {
      const value = doubleQuoted?.replace(/\\(["}])/g, '$1') ?? singleQuoted?.replace(/\\(['}])/g, '$1') ?? bare ?? '';
      if (key === 'class') list.classes.push(...value.split(/\s+/).filter(Boolean));
      else if (key === 'id') list.id = value;
      else list.attributes[key] = value;
    } else if (idsAndClasses) {
      for (const [, sigil, name] of idsAndClasses.matchAll(/([#.])([^#.]+)/g)) {
        if (sigil === '#') list.id = name;
        else list.classes.push(name);
      }
    }
  }
  return list;
}

function applyAttributeList(node: Nodes, list: AttributeList): void {
  const data = (node.data ??= {});
  const properties = (data.hProperties ??= {}) as Record<string, unknown>;
  if (list.classes.length > 0) {
    const existing = Array.isArray(properties.className)
      ? (properties.className as string[])
      : typeof properties.className === 'string'
        ? properties.className.split(/\s+/).filter(Boolean)
        : node.type === 'code' && node.lang
          ? [`language-${node.lang}`] // remark-rehype's own class, which hProperties would replace
          : [];
    properties.className = [...new Set([...existing, ...list.classes])];
  }
  if (list.id) properties.id = list.id;
  Object.assign(properties, list.attributes);
}

// ─── span IALs ───────────────────────────────────────────────────────────────

function applySpanAttributeLists(tree: Root): void {
  visit(tree, 'text', (node, index, parent) => {
    if (!parent || index === undefined || index === 0) return;
    const target = parent.children[index - 1];
    if (!SPAN_TARGETS.has(target.type)) return;
    let consumed = 0;
    for (let match = SPAN_IAL.exec(node.value); match; match = SPAN_IAL.exec(node.value)) {
      applyAttributeList(target, parseAttributeList(match[1]));
      node.value = node.value.slice(match[0].length);
      consumed += match[0].length;
    }
    if (consumed === 0) return;
    if (node.position) node.position.start = shiftPoint(node.position.start, consumed);
    if (node.value === '') {
      parent.children.splice(index, 1);
      return index;
    }
  });
}

// ─── heading IALs ────────────────────────────────────────────────────────────

function applyHeadingAttributeLists(tree: Root): void {
  visit(tree, 'heading', (heading) => {
    const last = heading.children.at(-1);
    if (last?.type !== 'text') return;
    const match = HEADING_IAL.exec(last.value);
    if (!match) return;
    applyAttributeList(heading, parseAttributeList(match[1] ?? match[2]));
    last.value = last.value.slice(0, match.index);
    if (last.value === '') heading.children.pop();
  });
}

// ─── table IALs (GFM reads the IAL line as a one-cell last row) ──────────────

function applyTableAttributeLists(tree: Root): void {
  visit(tree, 'table', (table) => {
    if (table.children.length < 2) return;
    const [first, ...rest] = table.children.at(-1)!.children;
    if (!first || first.children.length !== 1 || first.children[0].type !== 'text') return;
    if (rest.some((cell) => cell.children.length > 0)) return;
    const match = LINE_IAL.exec(first.children[0].value);
    if (!match) return;
    applyAttributeList(table, parseAttributeList(match[1]));
    table.children.pop();
  });
}

// ─── block IALs inside paragraphs ────────────────────────────────────────────

/** A run of a paragraph's content and the IAL lines that follow it. */
interface Segment {
  children: PhrasingContent[];
  lists: AttributeList[];
  /** File offset of the last IAL line's `{`, when that line ends the paragraph. */
  endOffset?: number;
}

function applyBlockAttributeLists(tree: Root, file: VFile): void {
  const source = String(file.value ?? '');
  const parents = new Map<Node, Parent>();
  const paragraphs: Paragraph[] = [];
  visit(tree, (node, _index, parent) => {
    if (parent) parents.set(node, parent);
    if (node.type === 'paragraph' && node.children.some((child) => child.type === 'text' && child.value.includes('{:'))) {
      paragraphs.push(node);
    }
  });

  for (const paragraph of paragraphs) {
    const parent = parents.get(paragraph);
    const segments = parent && splitAtAttributeLists(paragraph);
    if (!parent || !segments) continue;

    const leading = segments[0].children.length === 0 ? segments.shift() : undefined;
    const previous = leading && adjacentPrevious(paragraph, parent);
    const replacements = segments.map((segment, i): Paragraph =>
      i === 0 ? Object.assign(paragraph, { children: segment.children }) : { type: 'paragraph', children: segment.children },
    );
    const index = parent.children.indexOf(paragraph);
    parent.children.splice(index, 1, ...(replacements as RootContent[]));
    for (const node of replacements) parents.set(node, parent);

    segments.forEach((segment, i) => {
      const target =
        segment.endOffset === undefined ? replacements[i] : lazyContainerTarget(replacements[i], segment.endOffset, source, parents);
      for (const list of segment.lists) applyAttributeList(visibleTarget(target, parents), list);
    });

    if (leading) {
      // kramdown: right below a block (no blank line) it belongs to that block, else to the next one.
      const target = previous ?? replacements[0] ?? parent.children.slice(index).find((node) => !isAttributeListOnly(node));
      if (!target || target.type === 'html')
        report(file, paragraph, target ? 'the block it belongs to is raw HTML' : 'there is no block to apply it to');
      else for (const list of leading.lists) applyAttributeList(visibleTarget(target, parents), list);
    }
  }
}

/**
 * Cuts a paragraph at its IAL lines. Returns undefined when it has none; otherwise segments of
 * content, each with the IALs written below it (the first has no content when the paragraph
 * starts with IAL lines).
 */
function splitAtAttributeLists(paragraph: Paragraph): Segment[] | undefined {
  const segments: Segment[] = [{ children: [], lists: [] }];
  const children = paragraph.children;
  let found = false;
  let atLineStart = true;

  const addContent = (node: PhrasingContent) => {
    let current = segments.at(-1)!;
    if (current.lists.length > 0) segments.push((current = { children: [], lists: [] }));
    current.children.push(node);
  };

  children.forEach((child, childIndex) => {
    if (child.type !== 'text') {
      addContent(child);
      atLineStart = child.type === 'break';
      return;
    }
    const next = children[childIndex + 1];
    const lastInLine = next === undefined || next.type === 'break';
    const lines = child.value.split('\n');
    let pending: string | undefined;
    lines.forEach((line, lineIndex) => {
      const isLast = lineIndex === lines.length - 1;
      const wholeLine = (lineIndex > 0 || atLineStart) && (!isLast || lastInLine);
      const match = wholeLine ? LINE_IAL.exec(line) : null;
      if (!match) {
        pending = pending === undefined ? line : `${pending}\n${line}`;
        return;
      }
      found = true;
      if (pending) addContent(textLike(child, pending));
      pending = undefined;
      const current = segments.at(-1)!;
      current.lists.push(parseAttributeList(match[1]));
      const endsParagraph = isLast && next === undefined && child.position?.end.offset !== undefined;
      current.endOffset = endsParagraph ? child.position!.end.offset! - line.trim().length : undefined;
    });
    if (pending) addContent(textLike(child, pending));
    atLineStart = false;
  });

  if (!found) return undefined;
  for (const segment of segments) trimSegment(segment);
  return segments.filter((segment, i) => i === 0 || segment.children.length > 0);
}

function textLike(original: Text, value: string): Text {
  return original.value === value && original.position ? { type: 'text', value, position: original.position } : { type: 'text', value };
}

/** Drops the line breaks an IAL line leaves at the edges of a run of content. */
function trimSegment(segment: Segment): void {
  const first = segment.children[0];
  if (first?.type === 'text') first.value = first.value.replace(/^\n+/, '');
  const last = segment.children.at(-1);
  if (last?.type === 'text') last.value = last.value.replace(/[ \t]*\n+$/, '');
  segment.children = segment.children.filter((child) => child.type !== 'text' || child.value !== '');
}

/**
 * The block an IAL line ending a paragraph applies to. kramdown ends a blockquote or a list at an
 * IAL line that is not part of it (a CommonMark lazy continuation line), and the IAL then applies
 * to that whole container. A line is part of a blockquote when it carries its `>` marker, and
 * part of a list when it is indented past the list's bullet.
 */
function lazyContainerTarget(paragraph: Paragraph, offset: number, source: string, parents: Map<Node, Parent>): Nodes {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const prefix = source.slice(lineStart, offset);
  if (!/^[ \t>]*$/.test(prefix)) return paragraph;
  const markers = prefix.split('>').length - 1;
  const column = offset - lineStart + 1;

  const chain: Parent[] = [];
  let child: Node = paragraph;
  for (let ancestor = parents.get(paragraph); ancestor; ancestor = parents.get(ancestor)) {
    if (ancestor.children.at(-1) !== child || !(LAZY_CONTAINERS.has(ancestor.type) || ancestor.type === 'listItem')) break;
    chain.unshift(ancestor);
    child = ancestor;
  }
  let quoteDepth = 0;
  for (const container of chain) {
    if (container.type === 'blockquote') quoteDepth += 1;
    const inside =
      container.type === 'blockquote'
        ? markers >= quoteDepth
        : container.type === 'list'
          ? column > (container.position?.start.column ?? 1)
          : true;
    if (!inside) return container as Nodes;
  }
  return paragraph;
}

/** remark-rehype unwraps the paragraphs of tight list items, so their attributes go on the `li`. */
function visibleTarget(node: Nodes, parents: Map<Node, Parent>): Nodes {
  if (node.type !== 'paragraph') return node;
  const item = parents.get(node);
  if (item?.type !== 'listItem') return node;
  const list = parents.get(item) as Nodes | undefined;
  const loose = list?.type === 'list' && (list.spread || list.children.some((child) => child.spread));
  return loose ? node : (item as Nodes);
}

/** The sibling right above a paragraph, when no blank line separates them. */
function adjacentPrevious(paragraph: Paragraph, parent: Parent): Nodes | undefined {
  const previous = parent.children[parent.children.indexOf(paragraph) - 1];
  const start = paragraph.position?.start.line;
  return previous?.position && start !== undefined && previous.position.end.line === start - 1 ? previous : undefined;
}

function isAttributeListOnly(node: Node): boolean {
  return (
    node.type === 'paragraph' &&
    (node as Paragraph).children.every((child) => child.type === 'text' && child.value.split('\n').every((line) => LINE_IAL.test(line)))
  );
}

function report(file: VFile, node: Node, reason: string): void {
  const message = file.message(`kramdown attribute list removed: ${reason}`, node.position);
  message.ruleId = 'kramdown-ial-unattached';
  message.source = 'remark-kramdown-ial';
  message.note = UNATTACHED_HINT;
}

// ─── IAL lines CommonMark swallowed into raw HTML blocks ─────────────────────

function removeAttributeListsFromHtml(tree: Root, file: VFile): void {
  visit(tree, 'html', (node, _index, parent) => {
    if (!parent || parent.type === 'paragraph' || LITERAL_HTML.test(node.value)) return;
    const stripped = node.value.replace(HTML_IAL_LINE, '');
    if (stripped === node.value) return;
    node.value = stripped.replace(/\r?\n$/, '');
    report(file, node, 'it follows raw HTML, which cannot take attributes from markdown');
  });
}

function shiftPoint(point: Point, characters: number): Point {
  return {
    line: point.line,
    column: point.column + characters,
    offset: point.offset === undefined ? undefined : point.offset + characters,
  };
}
