import type { PageRecord } from '../../model/page-record.ts';
import type { PageEntry } from '../entry.ts';
import { pageExtrasOf } from '../page-extras.ts';
import { buildRecord, resolveActions } from '../record.ts';
import { hash } from './hash.ts';
import type { Renders } from './render.ts';
import { report, type LiveRecord, type LoaderState, type LoadRun, type Slice } from './state.ts';

/**
 * Turns each rendered page into its record (reused while its render key, link context, audience
 * and HTML hold) and adds the records' identities to the versions.
 */
export async function assemble(
  state: LoaderState,
  run: LoadRun,
  input: { accepted: PageEntry[]; renders: Renders; linkContextKey: string; slice: Slice },
): Promise<PageRecord[]> {
  const { accepted, renders, linkContextKey, slice } = input;
  const { resolver } = state.links!;
  const pageRecords: PageRecord[] = [];
  const liveRecords = new Map<string, LiveRecord>();
  for (const [index, entry] of accepted.entries()) {
    await slice();
    const page = renders.rendered[index];
    if (!page) continue;
    if (page.problems.length > 0) report(run, entry.file, page.problems);
    const key = renders.renderKeys[index];
    let live = state.records.get(key);
    if (!live || live.linkContextKey !== linkContextKey || live.published !== entry.published || live.record.page.html !== page.html) {
      const actions = resolveActions(entry, resolver);
      const extras = pageExtrasOf(entry, resolver, run.rules.data);
      const identity = hash(key, JSON.stringify(page.links), JSON.stringify(actions), JSON.stringify(extras), String(entry.published));
      live = { linkContextKey, published: entry.published, identity, record: buildRecord(entry, page, actions, identity, extras) };
    }
    liveRecords.set(key, live);
    pageRecords.push(live.record);
    if (live.published) run.versionParts.push(live.identity);
    run.previewVersionParts.push(live.identity);
  }
  state.records = liveRecords;
  return pageRecords;
}
