import type { Snapshot } from '../model/snapshot.ts';
import { assemble } from './load/assemble.ts';
import { editListing as editListingStage } from './load/edit-listing.ts';
import { linkContext } from './load/link-context.ts';
import { parse } from './load/parse.ts';
import { patch } from './load/patch.ts';
import { publish } from './load/publish.ts';
import { listedSnapshot } from './load/listing.ts';
import { stopEarlyLstatWorker } from './lstat-batch.ts';
import { render, type PendingRenders } from './load/render.ts';
import { checkFolder, listFolder, scan, warmStart } from './load/scan.ts';
import { select } from './load/select.ts';
import { createStageClock } from './load/stage-clock.ts';
import { createResume, type Resumed } from './load/resume.ts';
import { createLoaderState, rulesKeyOf, type LoaderOptions, type LoadRun } from './load/state.ts';
import { createTimeSlicer } from './time-slice.ts';
import { buildView } from './view.ts';

export { LoadGate, QUIET_AFTER_LOAD_MS } from './load/state.ts';
export { ContentFolderUnavailable } from './load/scan.ts';

/**
 * Loads a content folder into a {@link Snapshot}: discover → read → split front matter → parse
 * YAML → validate → render → index. Never throws on content: every problem becomes a diagnostic,
 * a page with errors is left out alone, and every good page is kept.
 */
export async function loadContent(dir: string, options: LoaderOptions = {}): Promise<Snapshot> {
  return createContentLoader(dir, options).load();
}

/**
 * A loader that remembers what it did: on each load only files whose size or modification time
 * changed are read again, and only pages whose source, site settings or links changed are
 * rendered again. A file that turns bad keeps its last good version served while its errors are
 * reported. Each load builds a whole new snapshot; nothing is mutated in place.
 *
 * A load is a sequence of stages over the loader's state (src/content/load/): scan (list the
 * folder, or take the watcher's changes), parse (read and validate what changed), select (what
 * each file serves; duplicates, redirects, drafts), link context, render (reuse or render in the
 * pool), assemble (records), publish (versions and the snapshot). A live edit that moves no page
 * skips them: it is patched into the last load's results (patch).
 */
export function createContentLoader(dir: string, options: LoaderOptions = {}) {
  const state = createLoaderState(dir, options);
  const resumable = createResume(state, options.cacheDir);
  // Edits of a listing, one after the other: each builds on the last (see editListing).
  let listingEdits: Promise<unknown> = Promise.resolve();

  /**
   * Brings the snapshot up to date. `changed` (file paths relative to the folder, from a watcher)
   * limits the work to those files; without it (or when the site settings changed) every file
   * is checked.
   */
  async function load(changed?: readonly string[]): Promise<Snapshot> {
    // A worker warming up for live edits waits for the load (and a moment after: see holdWarmUp).
    state.pool.holdWarmUp();
    state.gate.enter();
    try {
      const snapshot = await loadOnce(changed);
      follow(snapshot);
      return snapshot;
    } catch (error) {
      // A first load that failed leaves no listing to save.
      state.listing = undefined;
      follow(undefined);
      throw error;
    } finally {
      // One the launcher started (src/launch.ts) that this first load did not take: it needed
      // none, or failed before it listed the folder. An idle worker is not kept.
      stopEarlyLstatWorker();
      // The bodies read for this load's renders: a later render reads its file again.
      state.sourceBodies.clear();
      state.pool.releaseWarmUp();
      state.gate.leave();
    }
  }

  async function loadOnce(changed: readonly string[] | undefined): Promise<Snapshot> {
    const started = performance.now();
    state.reader.beginLoad();
    await checkFolder(state);
    // A live edit that moves no page is applied to the last load (see patch.ts).
    const patched = changed ? await patch(state, changed, started) : { read: 0 };
    if (patched.snapshot) return patched.snapshot;
    const clock = createStageClock(started);
    // A load that looks at every file lists them now, alongside the warm-start pack's reading.
    const listing = changed ? undefined : listFolder(state);
    const { rendersRead } = await warmStart(state);
    const { rules, sources: siteSources, key: siteKey } = await state.currentRules();
    const assets = await state.indexAssets();
    const rulesKey = await rulesKeyOf(state, rules);
    const run: LoadRun = {
      started,
      rules,
      siteSources,
      siteKey,
      rulesKey,
      assets,
      diagnostics: [...rules.diagnostics],
    };
    const paths = await scan(state, { changed, listing, isContentFile: rules.isContentFile, rulesKey });
    // A first load with nothing from a warm-start pack parses and renders every page: its workers
    // start now, and parse the files as they are read.
    if (state.files.size === 0) state.pool.prepare(paths.length);
    clock.mark('prepare');
    const read = patched.read + (await parse(state, run, paths, listing?.primed));
    clock.mark('read');
    const slice = createTimeSlicer();
    const selection = await select(state, run, slice);
    const links = await linkContext(state, run, selection, slice);
    clock.mark('select');
    // A first load lists its pages while they are rendered (see listing.ts); after a resumed
    // snapshot it does not, but after a resumed listing it does, for that listing's pages.
    const { onListed } = options;
    const lists = !state.last && (state.resumed ? state.follow !== undefined : onListed !== undefined);
    const queued = lists
      ? (pending: PendingRenders) =>
          void listedSnapshot(state, run, { selection, links, pending, slice }).then((listing) => {
            follow(listing);
            onListed?.(listing);
          }, () => undefined)
      : undefined;
    const renders = await render(state, run, { accepted: selection.accepted, links, rendersRead, slice, queued });
    clock.mark('render');
    const assembly = await assemble(state, run, { accepted: selection.accepted, renders, linkContextKey: links.linkContextKey, slice });
    clock.mark('assemble');
    return publish(state, run, { selection, renders, assembly, read, changed, clock, slice });
  }

  /**
   * A live edit that comes while a first load renders, applied to the listing served meanwhile
   * (see edit-listing.ts): that listing with the changed pages in, or undefined when the edit
   * has to wait for the load. Edits are applied in the order they come, each to the listing with
   * the ones before it.
   */
  function editListing(changed: readonly string[]): Promise<Snapshot | undefined> {
    const edited = listingEdits.then(() => editListingStage(state, changed)).catch(() => undefined);
    listingEdits = edited;
    return edited;
  }

  /** Hands what the first load made to the pages of a resumed listing, once (see LoaderState.follow). */
  function follow(next: Snapshot | undefined): void {
    const to = state.follow;
    state.follow = undefined;
    to?.(next);
  }

  /**
   * Before the first load: the snapshot a clean shutdown saved, or the listing a shutdown saved
   * before the first load ended, when every file it was made of is unchanged (see resume.ts); null
   * otherwise. The first load runs after it either way.
   */
  async function resume(): Promise<Resumed | null> {
    return (await resumable?.resume().catch(() => null)) ?? null;
  }

  /**
   * Saves the warm-start pack if anything was rendered since it was last saved, and the last
   * snapshot for a resumed start if it changed since (shutdown).
   */
  async function flush(): Promise<void> {
    if (state.pack && state.packStale) {
      state.packStale = false;
      await state.pack.write();
    }
    await state.pack?.settled();
    await resumable?.save();
  }

  /** Resolves once no warm-start pack is being written (background work waits for it: a shutdown must not cut it short). */
  function settled(): Promise<void> {
    return state.pack?.settled() ?? Promise.resolve();
  }

  /** Saves the warm-start pack (see flush) and stops the render workers. */
  async function close(): Promise<void> {
    state.gate.close();
    await flush();
    await resumable?.close();
    await state.pool.close();
  }

  /**
   * A live edit came (the watcher saw a change): a render worker is kept warm for the next ones
   * from now on, until none came for a while (see expectEdits in render-pool.ts).
   */
  function expectEdits(): void {
    state.pool.expectEdits();
  }

  /** Render workers running now: one is kept warm between live edits for a while (see WARM_IDLE_MS). */
  function renderWorkers(): number {
    return state.pool.workers();
  }

  return { load, editListing, resume, expectEdits, flush, settled, close, renderWorkers };
}

export type ContentLoader = ReturnType<typeof createContentLoader>;

/** The snapshot served before the first load completes: no pages, no problems (content routes answer 503 then). */
export function emptySnapshot(): Snapshot {
  const view = buildView([], new Map(), 'published');
  return {
    version: '',
    previewVersion: '',
    privateFiles: new Set(),
    loadedAt: new Date(0),
    loadMs: 0,
    read: 0,
    rendered: 0,
    published: view,
    preview: view,
    pages: [],
    diagnostics: [],
    baseUrl: '',
    site: null,
    feed: null,
    data: {},
    // Nothing is served before the first version (content routes wait for it, assets included).
    isExcluded: () => true,
  };
}
