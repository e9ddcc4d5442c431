import type { Html, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { isVoidElement } from './micromark-kramdown-html.ts';

const FIRST_TAG = /^[ \t]*<([A-Za-z][\w:.-]*)(?=[\s/>])/;
/** Where a raw HTML block stands: the top level, a quote, a list item (not inline HTML in a paragraph or link). */
const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);
/** A start tag with `markdown="…"`: its content is markdown, closed by a tag of its own line. */
const MARKDOWN_ATTRIBUTE = /^[^>]*\smarkdown\s*=/i;

/**
 * Reports each raw HTML block whose element is never closed (`html-unclosed`): kramdown, and
 * {@link kramdownHtml} after it, read everything after such a tag, to the end of its container,
 * as raw HTML, so the markdown there is shown literally. Jekyll warns about it too.
 */
export function reportUnclosedHtmlBlocks(tree: Root, file: VFile): void {
  visit(tree, 'html', (node: Html, _index, parent) => {
    if (!parent || !BLOCK_PARENTS.has(parent.type) || MARKDOWN_ATTRIBUTE.test(node.value)) return;
    const name = FIRST_TAG.exec(node.value)?.[1];
    if (!name || isVoidElement(name) || unclosedCount(node.value, name) <= 0) return;
    const message = file.message(
      `<${name}> is never closed, so everything after it to the end of its container is raw HTML and its markdown is shown as written`,
      node.position,
    );
    message.ruleId = 'html-unclosed';
    message.source = 'kramdown-html';
    message.note = `Close it with </${name}> (kramdown and Jekyll read the rest of the page as HTML too).`;
  });
}

/** Start tags of `name` not matched by end tags, outside comments (self-closing ones do not count). */
function unclosedCount(html: string, name: string): number {
  const text = html.replace(/<!--[\s\S]*?-->/g, '');
  const escaped = name.replace(/[.]/g, '\\.');
  const opened = [...text.matchAll(new RegExp(`<${escaped}(?=[\\s/>])(?:"[^"]*"|'[^']*'|[^'">])*?(/?)>`, 'gi'))].filter(
    (match) => !match[1],
  ).length;
  const closed = [...text.matchAll(new RegExp(`</${escaped}\\s*>`, 'gi'))].length;
  return opened - closed;
}
