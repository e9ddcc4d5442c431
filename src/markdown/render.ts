import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeSanitize from 'rehype-sanitize';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type PluggableList } from 'unified';
import { VFile } from 'vfile';
import { isDiagnosticCode } from '../../schemas/diagnostic-codes.ts';
import type { ContentProblem } from '../model/problem.ts';
import { gfmNeedsOf, remarkGfmFor, type GfmNeeds } from './remark-gfm-for.ts';
import { remarkHeadingIds } from './remark-heading-ids.ts';
import { rehypeRawWhenNeeded } from './rehype-raw-when-needed.ts';
import { rehypePageLinks, type LinkResolution } from './rehype-page-links.ts';
import { rehypeEmbeds } from './rehype-embeds.ts';
import { rehypeFaqQuestions } from './rehype-faq-questions.ts';
import { rehypeReportRemovedHtml } from './rehype-report-removed-html.ts';
import { rehypeSafeIds } from './rehype-safe-ids.ts';
import { rehypeStyleSubset } from './rehype-style-subset.ts';
import { rehypeUrlPolicy } from './rehype-url-policy.ts';
import { rehypeWrittenTree, type WrittenTreeListener } from './rehype-written-tree.ts';
import { sanitizeSchema } from './sanitize-schema.ts';

export interface RendererOptions {
  /** Resolves an href written in a page (whose path and permalink are in `file.data`) to a page. */
  resolveLink: (href: string, file: VFile) => LinkResolution;
  /** Extra remark plugins (e.g. Jekyll's kramdown syntax) run before headings get ids. */
  remarkPlugins?: PluggableList;
  /** Hosts whose iframes are kept besides YouTube and Vimeo (EMBED_HOSTS), see {@link rehypeEmbeds}. */
  embedHosts?: readonly string[];
}

/** Where a body comes from: its file line (so problems point at file lines) and its page. */
export interface RenderInput {
  body: string;
  bodyLine: number;
  /** `html` for a body written in HTML (a Jekyll `.html` page): no markdown, only the HTML steps. Default `markdown`. */
  format?: 'markdown' | 'html';
  /** The page being rendered, as `file.data.page` for plugins (links are resolved against it). */
  page: { file: string; permalink: string };
  /** Called with the tree as the author wrote it, before it is rewritten and sanitized (see rehypeWrittenTree). */
  onWrittenTree?: WrittenTreeListener;
  /** Called with the markdown syntax tree as parsed, before any transform (it must not change it). */
  onParsed?: (tree: MdastRoot) => void;
}

/** The sanitized HTML tree (serialized by the caller, see outlinePage) and the problems found. */
export interface RenderedMarkdown {
  tree: HastRoot;
  problems: ContentProblem[];
}

/**
 * Builds the markdown renderer used once per page when content loads:
 * remark-parse → GFM (see {@link remarkGfmFor}) → (site plugins) → heading ids → remark-rehype → rehype-raw (inline
 * HTML is parsed into the tree, not passed through) → URL policy → embeds → safe styles → what the
 * sanitizer will remove, reported → rehype-sanitize → safe ids → page links → ids for FAQ
 * questions written in bold. Everything removed from the page on the way is a warning or error at its line.
 */
export function createMarkdownRenderer(options: RendererOptions) {
  const htmlSteps = [
    [remarkRehype, { allowDangerousHtml: true }],
    rehypeRawWhenNeeded,
    rehypeWrittenTree,
    rehypeUrlPolicy,
    [rehypeEmbeds, { hosts: options.embedHosts }],
    rehypeStyleSubset,
    [rehypeReportRemovedHtml, sanitizeSchema],
    [rehypeSanitize, sanitizeSchema],
    rehypeSafeIds,
    [rehypePageLinks, { resolveLink: options.resolveLink }],
    rehypeFaqQuestions,
  ] as PluggableList;
  const pipeline = (needs: GfmNeeds) =>
    unified()
      .use(remarkParse)
      .use(remarkGfmFor, needs)
      .use(options.remarkPlugins ?? [])
      .use(remarkHeadingIds)
      .use(htmlSteps)
      .freeze();
  // An HTML body is one raw node handed to the same HTML steps: parsed, URL-checked and sanitized like markdown's HTML.
  const htmlPipeline = unified().use(htmlSteps).freeze();
  // One pipeline per set of GFM constructs a body can use (at most four), built when first needed.
  const pipelines = new Map<string, ReturnType<typeof pipeline>>();
  const processorFor = (body: string) => {
    const needs = gfmNeedsOf(body);
    const key = `${needs.tables}/${needs.emails}`;
    let processor = pipelines.get(key);
    if (!processor) pipelines.set(key, (processor = pipeline(needs)));
    return processor;
  };

  return async function renderMarkdown(input: RenderInput): Promise<RenderedMarkdown> {
    const file = new VFile({ value: input.body, data: { page: input.page, onWrittenTree: input.onWrittenTree } });
    let tree: HastRoot;
    if (input.format === 'html') {
      const end = { line: input.body.split('\n').length, column: 1, offset: input.body.length };
      const raw: MdastRoot = {
        type: 'root',
        children: [{ type: 'html', value: input.body, position: { start: { line: 1, column: 1, offset: 0 }, end } }],
      };
      tree = (await htmlPipeline.run(raw, file)) as HastRoot;
    } else {
      const processor = processorFor(input.body);
      const parsed = processor.parse(file);
      input.onParsed?.(parsed);
      tree = (await processor.run(parsed, file)) as HastRoot;
    }
    const problems: ContentProblem[] = file.messages.map((message) => ({
      code: isDiagnosticCode(message.ruleId) ? message.ruleId : 'markdown',
      severity: message.fatal ? 'error' : 'warning',
      line: (message.line ?? 1) + input.bodyLine - 1,
      column: message.column ?? 1,
      field: null,
      message: message.reason,
      hint: message.note ?? '',
    }));
    return { tree, problems };
  };
}

export type MarkdownRenderer = ReturnType<typeof createMarkdownRenderer>;
