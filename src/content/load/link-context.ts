import { createHash } from 'node:crypto';
import { templateDocument, type PageEntry } from '../entry.ts';
import { createLinkResolverInSlices, type LinkContext } from '../links.ts';
import type { RenderContext } from '../render-page.ts';
import type { TemplateDocument } from '../site-rules.ts';
import type { Selection } from './select.ts';
import type { LoaderState, LoadRun, Slice } from './state.ts';

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
 * unless templates see the other pages (which may have changed). At 10,000 pages each step is
 * tens of milliseconds of work, so each runs in slices.
 */
export async function linkContext(state: LoaderState, run: LoadRun, selection: Selection, slice: Slice): Promise<LinkStage> {
  const { published, redirects } = selection;
  const { rules, rulesKey, assets } = run;
  // Image paths resolve against the site's files too: a new or resized image is a new context.
  if (!state.links || assets.key !== state.assetsKey || !(await linksUnchanged(state.links.context, published, redirects, rules.baseUrl, slice))) {
    const context: LinkContext = {
      pages: [],
      redirects: [...redirects],
      baseUrl: rules.baseUrl,
      assets: { publicUrl: state.publicUrl, images: assets.images },
    };
    for (const { file, slug, permalink } of published) {
      const pause = slice();
      if (pause) await pause;
      context.pages.push({ file, slug, permalink });
    }
    const key = await contextKey(context, slice);
    const resolver = await createLinkResolverInSlices(context, slice);
    // Set together, once all is made: a load cut short leaves the last context whole.
    state.assetsKey = assets.key;
    state.links = { context, key, resolver };
  }
  const { context: linkContext, key: linkContextKey } = state.links;
  const documents: TemplateDocument[] = [];
  if (rules.createTemplating) {
    for (const entry of published) {
      const pause = slice();
      if (pause) await pause;
      documents.push(templateDocument(entry));
    }
  }
  if (state.renderContext?.rulesKey !== rulesKey || state.renderContext.linkContext !== linkContext || documents.length > 0) {
    state.renderContext = { rulesKey, linkContext, context: { ...linkContext, documents, embedHosts: state.embedHosts } };
  }
  return { linkContext, linkContextKey, documents, context: state.renderContext.context };
}

/** A hash of everything in a link context, one page at a time (a 10,000-page context is a megabyte of JSON). */
async function contextKey(context: LinkContext, slice: Slice): Promise<string> {
  const digest = createHash('sha256');
  const { pages, ...rest } = context;
  digest.update(JSON.stringify(rest));
  for (const page of pages) {
    const pause = slice();
    if (pause) await pause;
    digest.update(`\n${JSON.stringify(page)}`);
  }
  return digest.digest('hex');
}

/** Whether the published pages and redirects are those a link context was made of. */
async function linksUnchanged(
  context: LinkContext,
  published: PageEntry[],
  redirects: ReadonlyMap<string, string>,
  baseUrl: string,
  slice: Slice,
): Promise<boolean> {
  if (context.baseUrl !== baseUrl || context.pages.length !== published.length || context.redirects.length !== redirects.size) return false;
  for (const [index, entry] of published.entries()) {
    const pause = slice();
    if (pause) await pause;
    const page = context.pages[index];
    if (page.file !== entry.file || page.slug !== entry.slug || page.permalink !== entry.permalink) return false;
  }
  let index = 0;
  for (const [from, to] of redirects) {
    const [wasFrom, wasTo] = context.redirects[index++];
    if (from !== wasFrom || to !== wasTo) return false;
  }
  return true;
}
