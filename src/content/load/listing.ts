import type { PageRecord } from '../../model/page-record.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { ListedPage, listedFactsOf, type Listing } from '../listed-page.ts';
import { pageExtrasOf } from '../page-extras.ts';
import { buildViewInSlices } from '../view.ts';
import { liveRecordOf } from './assemble.ts';
import type { LinkStage } from './link-context.ts';
import { byFileAndLine, snapshotOf, versionPart } from './publish.ts';
import type { LoaderState, LoadRun, Slice } from './state.ts';
import type { PendingRenders, Selection } from './types.ts';
import { versionOf } from './version.ts';

/**
 * A first load's listing: every page it will serve, listed while the render pool renders them.
 * A page whose render was reused is its record already; the others are {@link ListedPage}s, each
 * made into its record once rendered, its render asked for first when a request needs it. The
 * records made here are kept in the loader's records, so the load's assembly takes them as they
 * are. Pages that failed before with the same inputs, or whose text is gone, are not listed (the
 * load leaves them out). The listing's versions are its own: no response made from it is taken
 * for one of the loaded version.
 */
export async function listedSnapshot(
  state: LoaderState,
  run: LoadRun,
  input: { selection: Selection; links: LinkStage; pending: PendingRenders; slice: Slice },
): Promise<Snapshot> {
  const { selection, links, pending, slice } = input;
  const { linkContextKey } = links;
  const resolver = state.links!.resolver;
  /** The record of the page at `index` rendered as `page`, kept in the loader's records for the load's assembly. */
  const keep = (index: number, page: NonNullable<PendingRenders['reused'][number]>) => {
    const key = pending.renderKeys[index];
    const live = liveRecordOf(state, run, { entry: selection.accepted[index], page, key, linkContextKey });
    state.records.set(key, live);
    return live.record;
  };
  const listing: Listing = {
    frontMatterOf: (index) => pageExtrasOf(selection.accepted[index], resolver, run.rules.data).frontMatter,
    recordOf: (index) => pending.demand(index).then((page) => page && keep(index, page)),
    renderedNow: (index) => {
      const page = pending.settled(index);
      return page && keep(index, page);
    },
  };
  const records: PageRecord[] = [];
  for (const [index, entry] of selection.accepted.entries()) {
    const pause = slice();
    if (pause) await pause;
    const reused = pending.reused[index];
    if (reused) records.push(keep(index, reused));
    else if (pending.renders(index)) records.push(new ListedPage(listedFactsOf(entry), index, listing));
  }
  const publishedView = await buildViewInSlices(
    records.filter((record) => record.published),
    selection.redirects,
    'published',
    slice,
  );
  const published = [run.rulesKey, 'listed'];
  const preview = [run.rulesKey, 'listed'];
  for (const served of selection.served) {
    const pause = slice();
    if (pause) await pause;
    const part = versionPart(served, undefined);
    if (served.entry.published) published.push(part);
    preview.push(part);
  }
  const snapshot = snapshotOf(run, {
    publishedView,
    pageRecords: records,
    redirects: selection.redirects,
    privateFiles: selection.privateFiles,
    versions: { published: versionOf(published), preview: versionOf(preview) },
    diagnostics: [...run.diagnostics].sort(byFileAndLine),
    read: 0,
    rendered: 0,
  });
  // What a shutdown before the load ends saves, for the next start to serve at once (see resume.ts).
  state.listing = { run, selection, snapshot, documentsKey: pending.documentsKey };
  return snapshot;
}
