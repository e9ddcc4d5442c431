import type { Root } from 'mdast';
import type { Processor } from 'unified';
import type { VFile } from 'vfile';
import { kramdownHtml } from './micromark-kramdown-html.ts';
import { reportUnclosedHtmlBlocks } from './unclosed-html-block.ts';

/**
 * kramdown's rules for raw HTML blocks (see {@link kramdownHtml}): a block runs to its matching
 * closing tag, its indented lines are HTML and not code, and markdown right after the closing tag
 * is markdown. Syntax only: the blocks are mdast `html` nodes as CommonMark's are, so
 * `markdown="1"` ({@link remarkKramdownIal}), rehype-raw and the sanitizer treat them as before.
 * A block whose element is never closed is reported (`html-unclosed`), see {@link reportUnclosedHtmlBlocks}.
 */
export function remarkKramdownHtml(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(kramdownHtml());
  return (tree: Root, file: VFile) => reportUnclosedHtmlBlocks(tree, file);
}
