import type { Root as MdastRoot } from 'mdast';
import type { Component } from '../../schemas/page.ts';
import { createMarkdownRenderer } from '../markdown/render.ts';
import { rehypeAssetImages } from '../markdown/rehype-asset-images.ts';
import { findExcessiveNesting } from '../markdown/structure-depth.ts';
import { contentLimits } from './limits.ts';
import { faqQuestionsOf } from '../markdown/faq.ts';
import { outlinePage, sectionsFrom } from '../markdown/sections.ts';
import { unlistedHeadingProblem } from './unlisted-heading.ts';
import { templateDocument, type PageSource } from './entry.ts';
import { createLinkResolver, type LinkContext } from './links.ts';
import { excerptOf, introductionOf } from './page-text.ts';
import { IMAGE_LINK, packRender, type RenderedLink, type RenderedPage } from './rendered-page.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { SiteRules, TemplateDocument } from './site-rules.ts';
import type { PageFacts } from '../model/page-facts.ts';
import { faqFactsOf } from './checks/faq.ts';
import { servedIdsOf, writtenFactsOf, writtenTreeFrom, writtenTreeOf } from './checks/written-facts.ts';

/** A problem that keeps a page from rendering at all (too deep, over a limit): the page is not served. */
export class RenderProblem extends Error {
  constructor(readonly problem: ContentProblem) {
    super(problem.message);
    this.name = 'RenderProblem';
  }
}

/** Everything a body is rendered against besides itself: the other pages (links, site.posts). */
export interface RenderContext extends LinkContext {
  documents: TemplateDocument[];
  /** Hosts whose embeds are kept besides the defaults (EMBED_HOSTS). */
  embedHosts?: string[];
}

/**
 * Builds the function that renders one page body: templates (Liquid, for Jekyll sites) →
 * markdown → sanitized HTML → sections, table of contents and FAQ. Used in the main thread for
 * small updates and in render workers for whole sites.
 */
export function createPageRenderer(rules: SiteRules, context: RenderContext, resolver = createLinkResolver(context)) {
  const renderMarkdown = createMarkdownRenderer({
    remarkPlugins: rules.remarkPlugins,
    embedHosts: context.embedHosts,
    resolveLink(href, file) {
      const page = file.data.page as { file: string; permalink: string; links: RenderedLink[] };
      const resolution = resolver.resolveLink(href, page);
      page.links.push([href, JSON.stringify(resolution)]);
      return resolution;
    },
  });
  const renderTemplates = rules.createTemplating?.(context.documents);

  /**
   * Renders one page. `beforeChecks` is called when the render is done and what the content
   * checks need is left to parse (a page whose body the render did not parse as written): the
   * render pool gives that parse a deadline of its own.
   */
  return async function renderPage(source: PageSource, hooks: { beforeChecks?: () => void } = {}): Promise<RenderedPage> {
    const { entry } = source;
    let body = source.body;
    let components: Component[] = [];
    const problems: ContentProblem[] = [];
    const atFileLine = (line: number) => line + entry.bodyLine - 1;
    refuseExcessiveNesting(body, atFileLine, 'the body');
    if (renderTemplates) {
      const templated = await renderTemplates(body, templateDocument(entry));
      // A page whose Liquid hit a limit (time, memory, includes, output) is not served half-rendered.
      const overLimit = templated.problems.find((problem) => problem.code === 'liquid-limit');
      if (overLimit) throw new RenderProblem({ ...overLimit, line: atFileLine(overLimit.line) });
      body = templated.text;
      components = templated.components.map((component) => ({ ...component, line: atFileLine(component.line) }));
      problems.push(...templated.problems.map((problem) => ({ ...problem, line: atFileLine(problem.line) })));
      // Liquid can build nesting the source does not show (a loop of opening tags): checked again.
      refuseExcessiveNesting(body, atFileLine, 'the output of its Liquid');
    }
    const links: RenderedLink[] = [];
    // The content checks read the body as its author wrote it. A markdown page whose text reaches
    // the parser as written is parsed by the render as the checks would parse it: with no site
    // plugins its tree is read on the way; with them (kramdown) a copy of its syntax tree from
    // before them is finished for the checks. Any other is parsed for them once here.
    let written: Pick<PageFacts, 'references' | 'headings'> | undefined;
    let parsedAsWritten: MdastRoot | undefined;
    const asWritten = entry.format === 'markdown' && body === source.body;
    const sitePlugins = rules.remarkPlugins.length > 0;
    const rendered = await renderMarkdown({
      body,
      bodyLine: entry.bodyLine,
      format: entry.format,
      page: { file: entry.file, permalink: entry.permalink, links } as never,
      onWrittenTree: asWritten && !sitePlugins ? (tree) => (written = writtenFactsOf(tree, entry.bodyLine)) : undefined,
      onParsed: asWritten && sitePlugins ? (tree) => (parsedAsWritten = structuredClone(tree)) : undefined,
    });
    rules.transformHtml?.(rendered.tree);
    // Each image resolution is kept with the links: the render stays valid while they all hold.
    rehypeAssetImages({
      resolveImage(src) {
        const image = resolver.resolveImage(src, entry);
        links.push([`${IMAGE_LINK}${src}`, JSON.stringify(image)]);
        return image;
      },
    })(rendered.tree);
    // Broken links only matter for what readers see; a draft may link to pages not yet written.
    problems.push(...(entry.published ? rendered.problems : rendered.problems.filter((p) => p.code !== 'broken-link')));
    if (!written) {
      hooks.beforeChecks?.();
      written = writtenFactsOf(parsedAsWritten ? writtenTreeFrom(parsedAsWritten, source.body) : writtenTreeOf(source.body), entry.bodyLine);
    }
    const outline = outlinePage(rendered.tree);
    for (const heading of outline.unlisted) {
      if (heading.title === '') continue;
      problems.push(unlistedHeadingProblem(heading, heading.at ? atFileLine(heading.at.line) : entry.bodyLine, heading.at?.column ?? 1));
    }
    // The FAQ is taken here, once a render: neither a load nor a check cuts the page again for it.
    const sections = sectionsFrom(outline.html, outline.sections);
    const questions = faqQuestionsOf(sections);
    const facts: PageFacts = {
      bodyLine: entry.bodyLine,
      ...written,
      servedIds: servedIdsOf(rendered.tree),
      emptyTitle: entry.emptyTitle,
      faq: faqFactsOf(sections, questions),
    };
    return {
      ...packRender({ html: outline.html, sections: outline.sections, facts: JSON.stringify(facts), questions }),
      excerpt: excerptOf(rendered.tree),
      introduction: introductionOf(rendered.tree),
      firstHeading: outline.toc.find((heading) => heading.level === 1)?.title ?? null,
      components,
      problems,
      links: JSON.stringify(links),
    };
  };
}

export type PageRenderer = ReturnType<typeof createPageRenderer>;

/**
 * The linear pre-scan that runs before markdown is parsed: nesting past the cap (lists, quotes,
 * HTML elements, emphasis, link brackets) costs the parser time and stack out of all proportion,
 * so such a page is refused at the line where the cap is crossed.
 */
function refuseExcessiveNesting(body: string, atFileLine: (line: number) => number, what: string): void {
  const excess = findExcessiveNesting(body, contentLimits.maxStructureDepth);
  if (!excess) return;
  const names = { list: 'lists', blockquote: 'block quotes', html: 'HTML elements', emphasis: 'emphasis', link: 'link brackets' } as const;
  throw new RenderProblem({
    code: 'too-deep', severity: 'error', line: atFileLine(excess.line), column: excess.column, field: null,
    message: `${what} nests ${names[excess.structure]} more than ${contentLimits.maxStructureDepth} levels deep, so the page is not served`,
    hint: 'Flatten the structure; no page needs this much nesting (the cap is contentLimits.maxStructureDepth).',
  });
}
