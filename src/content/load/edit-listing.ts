import type { PageRecord } from '../../model/page-record.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { bodyOfSource, contentKey, readEntry, readSource, withModified, type PageEntry } from '../entry.ts';
import type { RenderedPage } from '../rendered-page.ts';
import { isSiteFile } from '../site-rules-loader.ts';
import { patchView } from '../view.ts';
import { liveRecordOf } from './assemble.ts';
import { hash } from './hash.ts';
import { parsesOnMainThread } from './parse.ts';
import { MAX_PATCHED_FILES, sameIdentity, withFileDiagnostics } from './patch.ts';
import { snapshotOf, versionPart } from './publish.ts';
import { renderKeyOf, reusableRender } from './render.ts';
import type { LoaderState } from './state.ts';
import type { ListingEdit } from './types.ts';

/**
 * Milliseconds at most that the load's render waits for an edit of its listing (see giveWay in
 * render-pool.ts): reading, validating and serving an edit that renders nothing takes a few, and
 * the editor's next request comes a moment later.
 */
const EDIT_GIVE_WAY_MS = 150;

/** One changed file of a listing, read and validated again: what it serves now, not yet rendered. */
interface ListedChange {
  file: string;
  entry: PageEntry;
  contentKey: string;
  renderKey: string;
  body: string;
  problems: ListingEdit['problems'];
}

/**
 * A live edit that comes while a first load renders, applied to the listing served meanwhile (see
 * listing.ts): without it the edit would wait for the whole load, seconds at 10,000 pages (a
 * start's render, or after a start that resumed a listing, the render of the pages it had not
 * rendered). The changed files are read and validated again; if each is a listed page that keeps
 * its slug, permalink, audience and redirects (what a patch asks, see patch.ts), each is rendered
 * by the first worker between two pages (see renderAlongside), and the listing is served with
 * their records in. Nothing of the loader's state is changed but its render cache: the load goes
 * on with the versions it read, and the edit's own load patches them once it is published (the
 * content plugin serves the listing until then, so no page goes back to the version before the
 * edit).
 *
 * Undefined when the edit cannot be applied so: no listing (no first load under way, or its render
 * is over), a file that is not a listed page, that moved or has errors, a large front matter
 * (parsed on a worker, under a deadline), a render that failed. The edit then waits for the load,
 * as every live edit did before.
 */
export async function editListing(state: LoaderState, changed: readonly string[]): Promise<Snapshot | undefined> {
  const listing = state.listing;
  const files = [...new Set(changed)];
  if (!listing || state.last || !state.links || !state.renderContext || files.length === 0 || files.length > MAX_PATCHED_FILES) return undefined;
  const { run, selection } = listing;
  if (!files.every((file) => run.rules.isContentFile(file) && !isSiteFile(file))) return undefined;
  const { key: linkContextKey } = state.links;
  const { context } = state.renderContext;
  // Hashed once per listing, when an edited page's templates see the other pages (megabytes of JSON on a large site).
  const documentsKey = () => (listing.documentsKey ??= hash(JSON.stringify(context.documents)));

  const changes: ListedChange[] = [];
  for (const file of files) {
    const was = selection.accepted.find((entry) => entry.file === file);
    if (!was) return undefined;
    const source = await readSource(state.reader, file);
    if (!source || 'problem' in source || !parsesOnMainThread(source.text)) return undefined;
    const read = readEntry(run.rules, file, source.text, source.modified, run.rulesKey);
    if (!read.entry || !sameIdentity(was, read.entry, run.rules, selection.identityProblems.has(file))) return undefined;
    const entry = withModified(read.entry, source.modified);
    const renderKey = renderKeyOf(entry, documentsKey);
    changes.push({ file, entry, contentKey: contentKey(run.rulesKey, file, source.text), renderKey, body: bodyOfSource(source.text), problems: read.problems });
  }

  // The load's renders wait meanwhile (unless the edit needs one of its own): the edit, and the requests after it, come first.
  state.pool.giveWay(EDIT_GIVE_WAY_MS);
  const rendered = await renderChanges(state, changes, linkContextKey);
  // The load may have been published, or a later start begun, while they rendered.
  if (!rendered || state.listing !== listing || state.last) return undefined;
  // Kept only if the listing takes them all.
  const edits = new Map(listing.edits);
  for (const [at, change] of changes.entries()) {
    const page = rendered[at];
    const live = liveRecordOf(state, run, { entry: change.entry, page, key: change.renderKey, linkContextKey, contentKey: change.contentKey });
    const problems = [...change.problems, ...page.problems, ...(selection.identityProblems.get(change.file) ?? [])];
    edits.set(change.file, { record: live.record, part: versionPart({ file: change.file, key: change.contentKey, entry: change.entry }, live.identity), problems });
  }
  const edited = editedListing(listing, edits);
  if (edited) listing.edits = edits;
  return edited;
}

/** The changed pages rendered (from the render cache when it has them); undefined when one could not be. */
async function renderChanges(state: LoaderState, changes: ListedChange[], linkContextKey: string): Promise<RenderedPage[] | undefined> {
  const { run } = state.listing!;
  const rendered = changes.map((change) => reusableRender(state, change.renderKey, change.entry, linkContextKey));
  const stale = changes.filter((_, at) => !rendered[at]);
  if (stale.length === 0) return rendered as RenderedPage[];
  const inputs = { site: run.siteSources, siteKey: run.siteKey, context: state.renderContext!.context };
  const outcomes = await state.pool.renderAlongside(inputs, stale.map((change) => ({ entry: change.entry, body: change.body })));
  if (!outcomes) return undefined;
  for (const [at, change] of stale.entries()) {
    const outcome = outcomes[at];
    if (!outcome?.ok) return undefined;
    rendered[changes.indexOf(change)] = outcome.rendered;
    // Its render key names its inputs: the patch that applies the edit to the load takes it from here.
    state.renderCache.set(change.renderKey, outcome.rendered);
    state.packStale = true;
  }
  return rendered as RenderedPage[];
}

/**
 * The listing with the edits in: their records in place of the listed ones, their problems in
 * place of their files', and versions of its own (a listing's are never a loaded version's: see
 * listing.ts); the public one changes only with a published page.
 */
function editedListing(listing: NonNullable<LoaderState['listing']>, edits: ReadonlyMap<string, ListingEdit>): Snapshot | undefined {
  const { snapshot: listed, run, selection } = listing;
  const pageRecords = listed.pages.slice();
  const replaced = new Map<PageRecord, PageRecord>();
  let diagnostics = listed.diagnostics.slice();
  const publishedParts: string[] = [];
  const previewParts: string[] = [];
  for (const [file, edit] of edits) {
    const at = pageRecords.findIndex((record) => record.file === file);
    // Not listed (a page that failed before with the same inputs): the load reports it.
    if (at === -1) return undefined;
    replaced.set(pageRecords[at], edit.record);
    pageRecords[at] = edit.record;
    diagnostics = withFileDiagnostics(diagnostics, file, edit.problems);
    if (edit.record.published) publishedParts.push(edit.part);
    previewParts.push(edit.part);
  }
  const publishedReplaced = new Map([...replaced].filter(([, record]) => record.published));
  return snapshotOf(run, {
    publishedView: publishedReplaced.size > 0 ? patchView(listed.published, publishedReplaced, 'published') : listed.published,
    pageRecords,
    redirects: selection.redirects,
    privateFiles: listed.privateFiles,
    versions: {
      published: { digest: publishedParts.length > 0 ? hash(listed.version, ...publishedParts).slice(0, 16) : listed.version },
      preview: { digest: hash(listed.previewVersion, ...previewParts).slice(0, 16) },
    },
    diagnostics,
    read: 0,
    rendered: 0,
  });
}
