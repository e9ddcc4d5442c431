import type { ContentProblem } from '../../model/problem.ts';
import { textUnavailable, type PageEntry, type RenderSource } from '../entry.ts';
import { linksStillResolve, type RenderedPage } from '../rendered-page.ts';
import { WARM_UP_PAGES, type RenderOutcome } from '../render-pool.ts';
import { createTimeSlicer } from '../time-slice.ts';
import { hash } from './hash.ts';
import type { LinkStage } from './link-context.ts';
import { report, type LoaderState, type LoadRun, type Slice } from './state.ts';
import type { PendingRenders, Renders } from './types.ts';

export type { PendingRenders, Renders } from './types.ts';

/**
 * The key a page is rendered under: what its render reads of the version served (see
 * entryRenderKey), with the other pages' template documents when its templates can see them.
 */
export function renderKeyOf(entry: PageEntry, documentsKey: () => string): string {
  return entry.bodyUsesSite ? hash(entry.renderKey, documentsKey()) : entry.renderKey;
}

/** The content key of the version of its file an entry is (the file's current one, or its last good one). */
export function contentKeyOf(state: LoaderState, entry: PageEntry): string {
  const fileState = state.files.get(entry.file)!;
  return fileState.entry === entry ? fileState.key : fileState.lastGood!.key;
}

/**
 * The entries to render, each with its body kept from this load's reading or, past the budget
 * of kept bodies (see KeptBodies), with the file a render worker reads it from and the content key
 * it was parsed under. Undefined where the file's state is gone. A file changed since is found by
 * the worker (an outcome of {@link textUnavailable}): the load its change starts renders the new
 * version; the last good version of a file that has since turned bad cannot be rendered again.
 */
export async function sourcesOf(state: LoaderState, entries: readonly PageEntry[], slice: Slice = createTimeSlicer(8, 64)): Promise<(RenderSource | undefined)[]> {
  const sources = new Array<RenderSource | undefined>(entries.length);
  for (const [index, entry] of entries.entries()) {
    const pause = slice();
    if (pause) await pause;
    const fileState = state.files.get(entry.file);
    if (!fileState) continue;
    const key = contentKeyOf(state, entry);
    const body = state.sourceBodies.get(key);
    sources[index] = body === undefined ? { entry, inFile: { key, rulesKey: fileState.rulesKey, bytes: fileState.size } } : { entry, body };
  }
  return sources;
}

/** Whether a render found its page's file no longer holding the text it was loaded with (see withBody). */
export function textWasUnavailable(outcome: RenderOutcome): boolean {
  return !outcome.ok && outcome.problem.code === 'page-text-unavailable';
}

/** The render the last load served for this entry's file, when it served this very entry. */
function lastRenderOf(state: LoaderState, entry: PageEntry): RenderedPage | undefined {
  const { last } = state;
  const at = last?.acceptedAt.get(entry.file);
  return at === undefined || last!.servedByFile.get(entry.file)?.entry !== entry ? undefined : last!.renders.rendered[at];
}

/** A cached render of a page that still holds in the current link context: its links were checked in it, or still resolve as they did. */
export function reusableRender(state: LoaderState, key: string, entry: PageEntry, linkContextKey: string): RenderedPage | undefined {
  const cached = state.renderCache.peek(key);
  return cached && (state.linksChecked.get(key) === linkContextKey || linksStillResolve(cached, entry, state.links!.resolver)) ? cached : undefined;
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
  input: { accepted: PageEntry[]; links: LinkStage; rendersRead: Promise<void>; slice: Slice; queued?: (pending: PendingRenders) => void },
): Promise<Renders> {
  const { accepted, links, slice } = input;
  const { linkContextKey, documents, context } = links;
  let documentsKey: string | undefined;

  await input.rendersRead;
  const renderKeys = accepted.map((entry) => renderKeyOf(entry, () => (documentsKey ??= hash(JSON.stringify(documents)))));
  const rendered = new Array<RenderedPage | undefined>(accepted.length);
  const staleAt: number[] = [];
  const nextFailures = new Map<string, ContentProblem>();
  // In an unchanged link context, the links-checked marks carry over; otherwise they start again.
  const nextLinksChecked = state.links!.key === state.linksCheckedIn ? state.linksChecked : new Map<string, string>();
  for (const [index, entry] of accepted.entries()) {
    const pause = slice();
    if (pause) await pause;
    const key = renderKeys[index];
    const cached = reusableRender(state, key, entry, linkContextKey);
    if (cached) {
      rendered[index] = cached;
      nextLinksChecked.set(key, linkContextKey);
    } else if (state.failures.has(key)) {
      // Failed before with these very inputs: report it again rather than spend another deadline on it.
      nextFailures.set(key, state.failures.get(key)!);
    } else {
      staleAt.push(index);
    }
  }
  const sources = await sourcesOf(state, staleAt.map((index) => accepted[index]), slice);
  const inputs = { site: run.siteSources, siteKey: run.siteKey, context };
  const renderable: RenderSource[] = [];
  // Position among the pages rendered now, by position in `accepted`.
  const renderedAt = new Map<number, number>();
  // Position in `sources` (and `staleAt`) of each page rendered now.
  const sourceAt: number[] = [];
  for (const [at, source] of sources.entries()) {
    if (!source) continue;
    renderedAt.set(staleAt[at], renderable.push(source) - 1);
    sourceAt.push(at);
  }
  const { queued } = input;
  // The renders done so far, by position in `accepted`, while a listing is served (see PendingRenders.settled).
  const done = queued && renderable.length > 0 ? new Array<RenderedPage | undefined>(accepted.length) : undefined;
  // Called even with nothing to render: the pool then lets go of the workers that parsed this load.
  const outcomes = await state.pool.render(inputs, renderable, {
    // Each render is cached as it comes: a shutdown before the load ends saves it (see flush in load.ts).
    settled: (at, outcome) => {
      if (!outcome.ok) return;
      const index = staleAt[sourceAt[at]];
      state.renderCache.set(renderKeys[index], outcome.rendered);
      state.packStale = true;
      if (done) done[index] = outcome.rendered;
    },
    demand:
      queued && renderable.length > 0
        ? (first) =>
            queued({
              renderKeys,
              documentsKey,
              reused: rendered.slice(),
              renders: (index) => renderedAt.has(index),
              settled: (index) => done![index],
              demand: async (index) => {
                const outcome = await first(renderedAt.get(index)!);
                return outcome?.ok ? outcome.rendered : undefined;
              },
            })
        : undefined,
  });
  let next = 0;
  // Pages whose text is gone and that have no render to fall back on: reported on every load (not
  // remembered as failed renders: their inputs did not fail, and the next read may find them).
  const unavailable: number[] = [];
  for (const [at, index] of staleAt.entries()) {
    const pause = slice();
    if (pause) await pause;
    const outcome = sources[at] ? outcomes[next++] : undefined;
    if (!outcome || textWasUnavailable(outcome)) {
      // Its text is gone: the file changed since it was read (the load its change starts renders
      // it), or this is the last good version of a file now bad. Its last render is served.
      const last = lastRenderOf(state, accepted[index]) ?? state.renderCache.peek(renderKeys[index]);
      if (last) rendered[index] = last;
      else unavailable.push(index);
    } else if (outcome.ok) {
      rendered[index] = outcome.rendered;
      state.renderCache.set(renderKeys[index], outcome.rendered);
      nextLinksChecked.set(renderKeys[index], linkContextKey);
    } else {
      nextFailures.set(renderKeys[index], outcome.problem);
    }
  }
  state.failures = nextFailures;
  if (unavailable.length > 0) {
    // A last good version that cannot be served any more is not said to be served.
    const files = new Set(unavailable.map((index) => accepted[index].file));
    run.diagnostics = run.diagnostics.filter((diagnostic) => !(diagnostic.code === 'serving-last-good' && files.has(diagnostic.file)));
    for (const index of unavailable) report(run, accepted[index].file, [textUnavailable()]);
  }
  // Once live edits came, the worker kept for them gets the site and context now, not with the
  // next edit, and warms up on pages that rendered (in time).
  const sample = state.pool.keepsWarm() ? await sourcesOf(state, accepted.filter((_, index) => rendered[index]).slice(0, WARM_UP_PAGES)) : [];
  state.pool.warm(inputs, sample.filter((source) => source !== undefined));
  for (const [index, entry] of accepted.entries()) {
    const problem = rendered[index] ? undefined : state.failures.get(renderKeys[index]);
    if (problem) report(run, entry.file, [problem]);
  }
  return { renderKeys, rendered, renderedNow: outcomes.length, nextLinksChecked, documentsKey };
}
