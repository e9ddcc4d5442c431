import type { PageRecord } from '../../model/page-record.ts';
import type { PageEntry } from '../entry.ts';
import { pageExtrasOf } from '../page-extras.ts';
import { adoptInputs, buildRecord, resolveActions } from '../record.ts';
import type { RenderedPage } from '../rendered-page.ts';
import { hash } from './hash.ts';
import { contentKeyOf } from './render.ts';
import { report, type LoaderState, type LoadRun, type Slice } from './state.ts';
import type { Assembly, LiveRecord, Renders } from './types.ts';

export type { Assembly } from './types.ts';

/**
 * The record of one rendered page: the last one while its file's content, render, link context,
 * audience and body hold, else a new one (a title edit keeps the render, not the record).
 * `identity` names everything the record is made of.
 */
export function liveRecordOf(
  state: LoaderState,
  run: LoadRun,
  input: { entry: PageEntry; page: RenderedPage; key: string; linkContextKey: string; contentKey?: string },
): LiveRecord {
  const { entry, page, key, linkContextKey } = input;
  // The file's version the entry is, unless it is not the loader's yet (an edit of a listing, see edit-listing.ts).
  const contentKey = input.contentKey ?? contentKeyOf(state, entry);
  const live = state.records.get(key);
  if (live && live.contentKey === contentKey && live.linkContextKey === linkContextKey && live.published === entry.published && live.body === page.body) return live;
  const { resolver } = state.links!;
  const actions = resolveActions(entry, resolver);
  const extras = pageExtrasOf(entry, resolver, run.rules.data);
  // The extras' front matter is the entry's (in the content key) with the images' URLs (in `images`) laid over it.
  const identity = hash(contentKey, key, page.links, JSON.stringify(actions), JSON.stringify([extras.author, extras.images]), String(entry.published));
  // The first load after a resumed start makes the records it served: the same identity, the same record.
  const resumed = state.resumed?.get(entry.file);
  let record: PageRecord;
  if (resumed?.identity === identity) {
    adoptInputs(resumed.record, { entry, rendered: page, extras }, actions);
    record = resumed.record;
  } else {
    record = buildRecord(entry, page, actions, identity, extras, state.bodies);
  }
  return { contentKey, linkContextKey, published: entry.published, identity, body: page.body, record };
}

/** Turns each rendered page into its record (see {@link liveRecordOf}) and reports the pages' problems. */
export async function assemble(
  state: LoaderState,
  run: LoadRun,
  input: { accepted: PageEntry[]; renders: Renders; linkContextKey: string; slice: Slice },
): Promise<Assembly> {
  const { accepted, renders, linkContextKey, slice } = input;
  const pageRecords: PageRecord[] = [];
  const live = new Array<LiveRecord | undefined>(accepted.length);
  const liveRecords = new Map<string, LiveRecord>();
  for (const [index, entry] of accepted.entries()) {
    const pause = slice();
    if (pause) await pause;
    const page = renders.rendered[index];
    if (!page) continue;
    if (page.problems.length > 0) report(run, entry.file, page.problems);
    const key = renders.renderKeys[index];
    live[index] = liveRecordOf(state, run, { entry, page, key, linkContextKey });
    liveRecords.set(key, live[index]);
    pageRecords.push(live[index].record);
  }
  state.records = liveRecords;
  return { pageRecords, live };
}
