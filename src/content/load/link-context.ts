import { templateDocument, type PageEntry } from '../entry.ts';
import { createLinkResolver, type LinkContext } from '../links.ts';
import type { RenderContext } from '../render-page.ts';
import type { TemplateDocument } from '../site-rules.ts';
import { hash } from './hash.ts';
import type { Selection } from './select.ts';
import type { LoaderState, LoadRun } from './state.ts';

/** What links resolve against in this load, and what the renderer sees of the site. */
export interface LinkStage {
  linkContext: LinkContext;
  linkContextKey: string;
  /** Every published page as a template document (only sites with templates need them). */
  documents: TemplateDocument[];
  context: RenderContext;
}

/**
 * The link context of the published pages and redirects. When no page was added, removed or
 * moved, every link resolves as before: the link context, its resolver and its key (nothing to
 * re-check) are kept from the last load, and so is the render context (workers keep theirs)
 * unless templates see the other pages (which may have changed).
 */
export function linkContext(state: LoaderState, run: LoadRun, selection: Selection): LinkStage {
  const { published, redirects } = selection;
  const { rules, rulesKey, assets } = run;
  // Image paths resolve against the site's files too: a new or resized image is a new context.
  if (!state.links || assets.key !== state.assetsKey || !linksUnchanged(state.links.context, published, redirects, rules.baseUrl)) {
    state.assetsKey = assets.key;
    const context: LinkContext = {
      pages: published.map(({ file, slug, permalink }) => ({ file, slug, permalink })),
      redirects: [...redirects],
      baseUrl: rules.baseUrl,
      assets: { publicUrl: state.publicUrl, images: assets.images },
    };
    state.links = { context, key: hash(JSON.stringify(context)), resolver: createLinkResolver(context) };
  }
  const { context: linkContext, key: linkContextKey } = state.links;
  const documents = rules.createTemplating ? published.map(templateDocument) : [];
  if (state.renderContext?.rulesKey !== rulesKey || state.renderContext.linkContext !== linkContext || documents.length > 0) {
    state.renderContext = { rulesKey, linkContext, context: { ...linkContext, documents, embedHosts: state.embedHosts } };
  }
  return { linkContext, linkContextKey, documents, context: state.renderContext.context };
}

/** Whether the published pages and redirects are those a link context was made of. */
function linksUnchanged(context: LinkContext, published: PageEntry[], redirects: ReadonlyMap<string, string>, baseUrl: string): boolean {
  if (context.baseUrl !== baseUrl || context.pages.length !== published.length || context.redirects.length !== redirects.size) return false;
  const samePages = published.every((entry, index) => {
    const page = context.pages[index];
    return page.file === entry.file && page.slug === entry.slug && page.permalink === entry.permalink;
  });
  if (!samePages) return false;
  let index = 0;
  for (const [from, to] of redirects) {
    const [wasFrom, wasTo] = context.redirects[index++];
    if (from !== wasFrom || to !== wasTo) return false;
  }
  return true;
}
