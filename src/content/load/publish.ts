import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { ContentView } from '../../model/content-view.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { byCodeUnits } from '../../model/order.ts';
import { buildView } from '../view.ts';
import { hashAll } from './hash.ts';
import type { Renders } from './render.ts';
import type { Selection } from './select.ts';
import type { LoaderState, LoadRun } from './state.ts';

/**
 * Builds the snapshot of a load: the published view (the preview view on first use), the
 * versions and the sorted diagnostics. Keeps what the next load reuses (links-checked marks),
 * lets the caches drop what this load did not use, and saves the warm-start pack after a cold
 * start (live edits are saved on shutdown).
 */
export function publish(
  state: LoaderState,
  run: LoadRun,
  input: { selection: Selection; renders: Renders; pageRecords: PageRecord[]; read: number; changed?: readonly string[] },
): Snapshot {
  const { selection, renders, pageRecords, changed } = input;
  const { redirects } = selection;
  const { rules } = run;
  const drafts = pageRecords.some((record) => !record.published);
  const publishedView = buildView(drafts ? pageRecords.filter((record) => record.published) : pageRecords, redirects, 'published');
  let preview: ContentView | undefined;
  state.linksChecked = renders.nextLinksChecked;
  state.linksCheckedIn = state.links!.key;
  // Files left unchanged were not looked up in the parsed cache this time, but are still current.
  state.parsedCache.sweep(Array.from(state.files.values(), (file) => file.key));
  state.renderCache.sweep();
  // A cold start saves its work at once (in the background); live edits are saved on shutdown.
  if (renders.renderedNow > 0) state.packStale = true;
  if (state.pack && state.packStale && !changed) {
    state.packStale = false;
    void state.pack.write();
  }

  return {
    version: hashAll(run.versionParts).slice(0, 16),
    previewVersion: hashAll(run.previewVersionParts).slice(0, 16),
    loadedAt: new Date(),
    loadMs: Math.round(performance.now() - run.started),
    read: input.read,
    rendered: renders.renderedNow,
    published: publishedView,
    pages: pageRecords,
    // Previews are rare: their view is built by the first one, or is the published view when there are no drafts.
    get preview() {
      return (preview ??= drafts ? buildView(pageRecords, redirects, 'preview') : publishedView);
    },
    diagnostics: run.diagnostics.sort(byFileAndLine),
    privateFiles: selection.privateFiles,
    baseUrl: rules.baseUrl,
    site: rules.settings,
    feed: rules.feed,
    data: rules.data,
  };
}

function byFileAndLine(a: Diagnostic, b: Diagnostic): number {
  return byCodeUnits(a.file, b.file) || a.line - b.line || a.column - b.column;
}
