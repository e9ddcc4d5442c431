import type { ContentProblem } from '../../model/problem.ts';
import type { PageEntry } from '../entry.ts';
import { linksStillResolve, type RenderedPage } from '../render-page.ts';
import { hash } from './hash.ts';
import type { LinkStage } from './link-context.ts';
import { report, type LoaderState, type LoadRun, type Slice } from './state.ts';

/** The pages of a load as rendered, by position in `accepted`, with the keys they were rendered under. */
export interface Renders {
  /** Render key of each accepted page: its source and site rules, and the other pages when its templates see them. */
  renderKeys: string[];
  /** Each accepted page as rendered; undefined when it failed. */
  rendered: (RenderedPage | undefined)[];
  /** How many pages had to be rendered (not found in the render cache). */
  renderedNow: number;
  /** The links-checked marks to keep once the load is published. */
  nextLinksChecked: Map<string, string>;
}

/**
 * Reuses every render whose inputs and links are unchanged and renders the rest in the render
 * pool (with its deadlines). A page that failed before with the very same inputs is reported
 * again rather than spending another deadline on it. Per-entry state is kept in arrays by
 * position in `accepted` (cheaper than maps at 10,000 pages).
 */
export async function render(
  state: LoaderState,
  run: LoadRun,
  input: { accepted: PageEntry[]; links: LinkStage; rendersRead: Promise<void>; slice: Slice },
): Promise<Renders> {
  const { accepted, links, slice } = input;
  const { rules } = run;
  const { linkContextKey, documents, context } = links;
  const { resolver } = state.links!;
  let documentsKey: string | undefined;

  await input.rendersRead;
  const renderKeys = accepted.map((entry) => {
    const fileState = state.files.get(entry.file)!;
    const key = fileState.entry === entry ? fileState.key : fileState.lastGood!.key;
    if (!rules.templateDependsOnSite?.(entry.body)) return key;
    documentsKey ??= hash(JSON.stringify(documents));
    return hash(key, documentsKey);
  });
  const rendered = new Array<RenderedPage | undefined>(accepted.length);
  const staleAt: number[] = [];
  const nextFailures = new Map<string, ContentProblem>();
  // In an unchanged link context, the links-checked marks carry over; otherwise they start again.
  const nextLinksChecked = state.links!.key === state.linksCheckedIn ? state.linksChecked : new Map<string, string>();
  for (const [index, entry] of accepted.entries()) {
    await slice();
    const key = renderKeys[index];
    const cached = state.renderCache.peek(key);
    if (cached && (state.linksChecked.get(key) === linkContextKey || linksStillResolve(cached, entry, resolver))) {
      rendered[index] = cached;
      nextLinksChecked.set(key, linkContextKey);
    } else if (state.failures.has(key)) {
      // Failed before with these very inputs: report it again rather than spend another deadline on it.
      nextFailures.set(key, state.failures.get(key)!);
    } else {
      staleAt.push(index);
    }
  }
  const stale = staleAt.map((index) => accepted[index]);
  const outcomes = stale.length > 0 ? await state.pool.render({ site: run.siteSources, siteKey: run.siteKey, context }, stale) : [];
  staleAt.forEach((index, at) => {
    const outcome = outcomes[at];
    if (outcome.ok) {
      rendered[index] = outcome.rendered;
      state.renderCache.set(renderKeys[index], outcome.rendered);
      nextLinksChecked.set(renderKeys[index], linkContextKey);
    } else {
      nextFailures.set(renderKeys[index], outcome.problem);
    }
  });
  state.failures = nextFailures;
  for (const [index, entry] of accepted.entries()) {
    const problem = rendered[index] ? undefined : state.failures.get(renderKeys[index]);
    if (problem) report(run, entry.file, [problem]);
  }
  return { renderKeys, rendered, renderedNow: stale.length, nextLinksChecked };
}
