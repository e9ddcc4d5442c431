import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { remarkKramdownHtml } from './remark-kramdown-html.ts';
import { remarkKramdownIal } from './remark-kramdown-ial.ts';
import { remarkKramdownMarkdownInHtml } from './remark-kramdown-markdown-in-html.ts';

/**
 * Markdown with kramdown's HTML blocks and attribute lists to HTML, unsanitized: what Jekyll's `markdownify`
 * filter gives inside a template. Its output is part of a page body, which the page renderer
 * then parses and sanitizes like any other HTML in markdown.
 */
export const kramdownToHtml = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkKramdownHtml)
  .use(remarkKramdownMarkdownInHtml)
  .use(remarkKramdownIal)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeStringify)
  .freeze();
