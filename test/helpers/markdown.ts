import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { kramdownToHtml } from '../../src/markdown/kramdown-html.ts';
import { createMarkdownRenderer, type RendererOptions } from '../../src/markdown/render.ts';

/**
 * Markdown rendered by the kramdown pipeline, with the newlines between tags dropped so an
 * expected page fits on one line; `file` carries the messages the plugins reported.
 */
export async function renderKramdown(markdown: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ value: markdown });
  const html = String(await kramdownToHtml.process(file)).replace(/>\n+</g, '><');
  return { html, file };
}

/** Renders a body (starting at line 10 of its file, after front matter) the way pages are rendered. */
export async function renderPageBody(body: string, options: Partial<RendererOptions> = {}) {
  const renderMarkdown = createMarkdownRenderer({ resolveLink: () => ({ kind: 'external' }), ...options });
  const { tree, problems } = await renderMarkdown({ body, bodyLine: 10, page: { file: 'page.md', permalink: '/page/' } });
  return { html: toHtml(tree), problems };
}
