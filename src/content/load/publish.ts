import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { ContentView } from '../../model/content-view.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { byCodeUnits } from '../../model/order.ts';
import { buildView, buildViewInSlices } from '../view.ts';
import type { StageClock } from './stage-clock.ts';
import type { LoaderState, LoadRun, Slice } from './state.ts';
import type { Assembly, Renders, Selection, ServedFile, Versions } from './types.ts';
import { versionOf } from './version.ts';
import { createTimeSlicer } from '../time-slice.ts';

/**
 * Builds the snapshot of a load: the published view (the preview view on first use), the
 * versions and the sorted diagnostics. Keeps what the next load reuses (links-checked marks,
 * the results a live edit patches), lets the caches drop what this load did not use, and saves
 * the warm-start pack after a cold start (live edits are saved on shutdown). Each step over the
 * pages runs in slices: at 10,000 pages they add up to about 70 ms of work.
 */
export async function publish(
  state: LoaderState,
  run: LoadRun,
  input: {
    selection: Selection;
    renders: Renders;
    assembly: Assembly;
    read: number;
    changed?: readonly string[];
    clock?: StageClock;
    slice: Slice;
  },
): Promise<Snapshot> {
  const { selection, renders, assembly, changed, slice } = input;
  const { pageRecords } = assembly;
  const drafts = pageRecords.some((record) => !record.published);
  const publishedView = await buildViewInSlices(drafts ? pageRecords.filter((record) => record.published) : pageRecords, selection.redirects, 'published', slice);
  await slice();
  // Files left unchanged were not looked up in the parsed cache this time, but are still current.
  state.parsedCache.sweep(Array.from(state.files.values(), (file) => file.key));
  await slice();
  state.renderCache.sweep();
  const versions = await versionsOf(run.rulesKey, selection, assembly, slice);
  const servedByFile = new Map<string, ServedFile>();
  for (const served of selection.served) {
    const pause = slice();
    if (pause) await pause;
    servedByFile.set(served.file, served);
  }
  const acceptedAt = new Map<string, number>();
  for (let index = 0; index < selection.accepted.length; index++) {
    const pause = slice();
    if (pause) await pause;
    acceptedAt.set(selection.accepted[index].file, index);
  }
  // From here on nothing waits: the state the next load starts from is set all at once.
  state.resumed = undefined;
  state.listing = undefined;
  state.linksChecked = renders.nextLinksChecked;
  state.linksCheckedIn = state.links!.key;
  // A cold start saves its work at once (in the background, once no load has come for a moment:
  // see LoadGate); live edits are saved on shutdown.
  if (renders.renderedNow > 0) state.packStale = true;
  if (state.pack && state.packStale && !changed) {
    state.packStale = false;
    void state.pack.write(() => state.gate.quiet());
  }

  // The disk keeps the compressed bodies of the pages served now, and of no others. On a later
  // turn: their ETags are hashed when first used, and the first requests come first.
  const { bodies } = state;
  if (bodies) setImmediate(() => void servedEtags(pageRecords).then((etags) => bodies.sweep(etags)));
  const snapshot = snapshotOf(run, {
    publishedView,
    pageRecords,
    redirects: selection.redirects,
    privateFiles: selection.privateFiles,
    versions,
    diagnostics: run.diagnostics.sort(byFileAndLine),
    read: input.read,
    rendered: renders.renderedNow,
    clock: input.clock,
  });
  state.last = {
    run,
    redirects: selection.redirects,
    privateFiles: selection.privateFiles,
    identityProblems: selection.identityProblems,
    servedByFile,
    acceptedAt,
    renders,
    assembly,
    versions,
    snapshot,
  };
  return snapshot;
}

/**
 * A served file's part of the versions: its path and content hash, and the identity of its record
 * (its render and resolved links) when it has one.
 */
export function versionPart(served: ServedFile, identity: string | undefined): string {
  return identity === undefined ? `${served.file}\0${served.key}` : `${served.file}\0${served.key}\0${identity}`;
}

/**
 * The versions: of the site's rules and every served file in file order, the public one of
 * published files alone (a draft-only edit changes nothing public), the preview one of all.
 */
async function versionsOf(rulesKey: string, selection: Selection, assembly: Assembly, slice: Slice): Promise<Versions> {
  const identities = new Map<string, string>();
  for (let index = 0; index < selection.accepted.length; index++) {
    const pause = slice();
    if (pause) await pause;
    const live = assembly.live[index];
    if (live) identities.set(selection.accepted[index].file, live.identity);
  }
  const published = [rulesKey];
  const preview = [rulesKey];
  const partAt = new Map<string, { published: number; preview: number }>();
  for (const served of selection.served) {
    const pause = slice();
    if (pause) await pause;
    const part = versionPart(served, identities.get(served.file));
    partAt.set(served.file, { published: served.entry.published ? published.push(part) - 1 : -1, preview: preview.push(part) - 1 });
  }
  await slice();
  const publishedVersion = versionOf(published);
  await slice();
  return { published: publishedVersion, preview: versionOf(preview), partAt };
}

/**
 * The ETags of the pages' JSON and HTML bodies, which the body store keeps on disk. Each is hashed
 * on first use (10,000 pages: about 85 ms), so they are taken in slices.
 */
async function servedEtags(pageRecords: readonly PageRecord[]): Promise<Set<string>> {
  const slice = createTimeSlicer();
  const etags = new Set<string>();
  for (const record of pageRecords) {
    etags.add(record.json.etag).add(record.html.etag);
    const pause = slice();
    if (pause) await pause;
  }
  return etags;
}

/** The snapshot of a load's (or a patch's) results; the preview view is built by the first preview request. */
export function snapshotOf(
  run: LoadRun,
  input: {
    publishedView: ContentView;
    pageRecords: PageRecord[];
    redirects: ReadonlyMap<string, string>;
    privateFiles: ReadonlySet<string>;
    versions: { published: { digest: string }; preview: { digest: string } };
    diagnostics: Diagnostic[];
    read: number;
    rendered: number;
    started?: number;
    clock?: StageClock;
  },
): Snapshot {
  const { publishedView, pageRecords, redirects } = input;
  const drafts = pageRecords.some((record) => !record.published);
  let preview: ContentView | undefined;
  const { rules } = run;
  return {
    version: input.versions.published.digest,
    previewVersion: input.versions.preview.digest,
    loadedAt: new Date(),
    loadMs: Math.round(performance.now() - (input.started ?? run.started)),
    ...(input.clock && { stagesMs: input.clock.finish() }),
    read: input.read,
    rendered: input.rendered,
    published: publishedView,
    pages: pageRecords,
    // Previews are rare: their view is built by the first one, or is the published view when there are no drafts.
    get preview() {
      return (preview ??= drafts ? buildView(pageRecords, redirects, 'preview') : publishedView);
    },
    diagnostics: input.diagnostics,
    privateFiles: input.privateFiles,
    baseUrl: rules.baseUrl,
    site: rules.settings,
    feed: rules.feed,
    data: rules.data,
    isExcluded: rules.isExcluded,
  };
}

export function byFileAndLine(a: Diagnostic, b: Diagnostic): number {
  return byCodeUnits(a.file, b.file) || a.line - b.line || a.column - b.column;
}
