import type { Processor } from 'unified';
import { kramdownHtml } from './micromark-kramdown-html.ts';

/**
 * kramdown's rules for raw HTML blocks (see {@link kramdownHtml}): a block runs to its matching
 * closing tag, its indented lines are HTML and not code, and markdown right after the closing tag
 * is markdown. Syntax only: the blocks are mdast `html` nodes as CommonMark's are, so
 * `markdown="1"` ({@link remarkKramdownIal}), rehype-raw and the sanitizer treat them as before.
 */
export function remarkKramdownHtml(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(kramdownHtml());
}
