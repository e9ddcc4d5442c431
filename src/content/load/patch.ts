import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { ContentProblem } from '../../model/problem.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { byCodeUnits } from '../../model/order.ts';
import { templateDocument, type PageEntry } from '../entry.ts';
import type { RenderedPage } from '../rendered-page.ts';
import type { SiteRules } from '../site-rules.ts';
import { isSiteFile } from '../site-rules-loader.ts';
import { patchView } from '../view.ts';
import { liveRecordOf } from './assemble.ts';
import { hash } from './hash.ts';
import { parse } from './parse.ts';
import { snapshotOf, versionPart } from './publish.ts';
import { renderKeyOf, reusableRender, sourcesOf, textWasUnavailable } from './render.ts';
import { servedVersion } from './select.ts';
import type { LoaderState } from './state.ts';
import type { LastLoad, ServedFile } from './types.ts';
import { withPartsReplaced } from './version.ts';

/** Most files one patch takes: a larger change (a checkout) is a whole load, which batches better. */
export const MAX_PATCHED_FILES = 16;

/** One changed file: what it served at the last load and what it serves now, with its problems. */
interface FileChange {
  file: string;
  before: ServedFile | undefined;
  now: ServedFile | undefined;
  problems: ContentProblem[];
  /** Its content hash before it was read again (its parsed entry is dropped when it changed). */
  previousKey: string;
}

/** A changed page that is served, with its position in the last load's accepted pages. */
interface PageChange extends FileChange {
  now: ServedFile;
  at: number;
  key: string;
  rendered?: RenderedPage;
}

/**
 * A live edit applied to the last load, when it moves no page: the changed files are read
 * again, and if each still serves a page (or a redirect) under the same slug, permalink,
 * audience and redirects (and, on a site with templates, the same template document), nothing
 * any other page sees has changed. Then only those pages are rendered and assembled, and the
 * snapshot is the last one with their records, problems and version parts replaced: the lookups
 * are copied rather than rebuilt, the versions rehash one bucket. This gives the snapshot a whole
 * load would (the same versions, pages and problems), in time that does not grow with the site.
 *
 * No snapshot when the change needs a whole load: a file added, removed, moved or renamed, a
 * site file, a render that failed, or more files than a patch takes. The files it read stay
 * read (`read` says how many, for the whole load to count).
 */
export async function patch(state: LoaderState, changed: readonly string[], started: number): Promise<{ snapshot?: Snapshot; read: number }> {
  const last = state.last;
  const files = [...new Set(changed)];
  if (!last || files.length === 0 || files.length > MAX_PATCHED_FILES) return { read: 0 };
  const { run } = last;
  // Pages already known only: a new file, a site file or an include may change what other pages see.
  if (!files.every((file) => state.files.has(file) && run.rules.isContentFile(file) && !isSiteFile(file))) return { read: 0 };

  const before = new Map(files.map((file) => [file, state.files.get(file)!]));
  const read = await parse(state, run, files);
  const changes: FileChange[] = [];
  for (const file of files) {
    const fileState = state.files.get(file);
    // Gone, or now a draft where it was not (or the other way round): other pages see it differently.
    if (!fileState || fileState.draft !== before.get(file)!.draft) return { read };
    const { served: now, problems } = servedVersion(file, fileState);
    const was = last.servedByFile.get(file);
    if (Boolean(was) !== Boolean(now) || (was && now && !sameIdentity(was.entry, now.entry, run.rules, last.identityProblems.has(file)))) return { read };
    changes.push({ file, before: was, now, problems, previousKey: before.get(file)!.key });
  }

  const rendered = await renderChanges(state, last, changes);
  if (!rendered) return { read };
  return { snapshot: patched(state, last, { changes, ...rendered, read, started }), read };
}

/** Whether a file's new entry is seen by other pages as its last one was: the same identity, redirects and template document. */
export function sameIdentity(was: PageEntry, now: PageEntry, rules: SiteRules, hasIdentityProblems: boolean): boolean {
  return (
    was.slug === now.slug &&
    was.permalink === now.permalink &&
    was.published === now.published &&
    was.redirectTo === now.redirectTo &&
    JSON.stringify(was.frontMatter.redirect_from) === JSON.stringify(now.frontMatter.redirect_from) &&
    // Problems of duplicates and redirects point at these keys' lines.
    (!hasIdentityProblems || JSON.stringify(was.positions) === JSON.stringify(now.positions)) &&
    (!rules.createTemplating || JSON.stringify(templateDocument(was)) === JSON.stringify(templateDocument(now)))
  );
}

/**
 * Renders the changed pages (reusing what the render cache holds), with how many had to be;
 * undefined when one fails (a whole load reports it).
 */
async function renderChanges(state: LoaderState, last: LastLoad, changes: FileChange[]): Promise<{ pages: PageChange[]; renderedNow: number } | undefined> {
  const { run, renders } = last;
  const { key: linkContextKey } = state.links!;
  const documentsKey = () => (renders.documentsKey ??= hash(JSON.stringify(state.renderContext!.context.documents)));
  const pages: PageChange[] = [];
  for (const change of changes) {
    const at = last.acceptedAt.get(change.file);
    // Redirect stubs and duplicates left out render nothing; a page whose last render failed is not served yet.
    if (!change.now || at === undefined) continue;
    if (!renders.rendered[at]) return undefined;
    const key = renderKeyOf(change.now.entry, documentsKey);
    if (state.failures.has(key)) return undefined;
    pages.push({ ...change, now: change.now, at, key, rendered: reusableRender(state, key, change.now.entry, linkContextKey) });
  }
  const stale = pages.filter((page) => !page.rendered);
  if (stale.length === 0) return { pages, renderedNow: 0 };
  // Read by this patch: their bodies are at hand, within the budget of kept bodies (a file changed again since needs a whole load).
  const sources = await sourcesOf(state, stale.map((page) => page.now.entry));
  if (!sources.every((source) => source !== undefined)) return undefined;
  const outcomes = await state.pool.render({ site: run.siteSources, siteKey: run.siteKey, context: state.renderContext!.context }, sources);
  for (const [index, page] of stale.entries()) {
    const outcome = outcomes[index];
    if (textWasUnavailable(outcome)) return undefined;
    if (!outcome.ok) {
      // The whole load that follows finds it here and reports it, without a second deadline.
      state.failures.set(page.key, outcome.problem);
      return undefined;
    }
    page.rendered = outcome.rendered;
    state.renderCache.set(page.key, outcome.rendered);
    state.linksChecked.set(page.key, linkContextKey);
  }
  state.packStale = true;
  return { pages, renderedNow: stale.length };
}

/** The last load with the changes in: records, problems, version parts and lookups replaced; the loader's caches updated. */
function patched(state: LoaderState, last: LastLoad, input: { changes: FileChange[]; pages: PageChange[]; renderedNow: number; read: number; started: number }): Snapshot {
  const { run, renders, assembly, versions } = last;
  const { key: linkContextKey } = state.links!;
  const replaced = new Map<PageRecord, PageRecord>();
  const problems = new Map(input.changes.map((change) => [change.file, [...change.problems, ...(last.identityProblems.get(change.file) ?? [])]]));
  const identities = new Map<string, string>();

  for (const page of input.pages) {
    const { at, key, file } = page;
    const rendered = page.rendered!;
    const oldKey = renders.renderKeys[at];
    const oldLive = assembly.live[at]!;
    const live = liveRecordOf(state, run, { entry: page.now.entry, page: rendered, key, linkContextKey });
    if (rendered.problems.length > 0) problems.get(file)!.push(...rendered.problems);
    identities.set(file, live.identity);
    if (oldKey !== key) {
      state.records.delete(oldKey);
      state.linksChecked.delete(oldKey);
      state.renderCache.forget(oldKey);
    }
    state.records.set(key, live);
    state.linksChecked.set(key, linkContextKey);
    renders.renderKeys[at] = key;
    renders.rendered[at] = rendered;
    assembly.live[at] = live;
    if (oldLive.record !== live.record) replaced.set(oldLive.record, live.record);
  }

  const publishedParts = new Map<number, string>();
  const previewParts = new Map<number, string>();
  let diagnostics = last.snapshot.diagnostics as Diagnostic[];
  for (const change of input.changes) {
    // No other file can share a parsed entry's key: it names the file.
    if (change.previousKey && change.previousKey !== state.files.get(change.file)!.key) state.parsedCache.forget(change.previousKey);
    diagnostics = withFileDiagnostics(diagnostics, change.file, problems.get(change.file)!);
    if (!change.now) continue;
    last.servedByFile.set(change.file, change.now);
    const part = versionPart(change.now, identities.get(change.file) ?? identityOf(last, change.file));
    const at = versions.partAt.get(change.file)!;
    if (at.published !== -1) publishedParts.set(at.published, part);
    previewParts.set(at.preview, part);
  }

  const pageRecords = assembly.pageRecords.slice();
  for (const [before, after] of replaced) pageRecords[pageRecords.indexOf(before)] = after;
  void state.bodies?.forget([...replaced.keys()].flatMap((record) => [record.json.etag, record.html.etag]));
  assembly.pageRecords = pageRecords;
  last.versions = { published: withPartsReplaced(versions.published, publishedParts), preview: withPartsReplaced(versions.preview, previewParts), partAt: versions.partAt };
  const publishedReplaced = new Map([...replaced].filter(([, record]) => record.published));
  last.snapshot = snapshotOf(run, {
    publishedView: publishedReplaced.size > 0 ? patchView(last.snapshot.published, publishedReplaced, 'published') : last.snapshot.published,
    pageRecords,
    redirects: last.redirects,
    privateFiles: last.privateFiles,
    versions: last.versions,
    diagnostics,
    read: input.read,
    rendered: input.renderedNow,
    started: input.started,
  });
  return last.snapshot;
}

/** The identity of a served file's record in the last load, if it has one (an accepted page that rendered). */
function identityOf(last: LastLoad, file: string): string | undefined {
  const at = last.acceptedAt.get(file);
  return at === undefined ? undefined : last.assembly.live[at]?.identity;
}

/**
 * The diagnostics sorted by file and position, with one file's replaced by `problems` (in the
 * order a load reports them): where a whole load's stable sort would put them.
 */
export function withFileDiagnostics(sorted: readonly Diagnostic[], file: string, problems: readonly ContentProblem[]): Diagnostic[] {
  const own = problems.map((problem) => ({ file, ...problem })).sort((a, b) => a.line - b.line || a.column - b.column);
  let start = 0;
  while (start < sorted.length && byCodeUnits(sorted[start].file, file) < 0) start += 1;
  let end = start;
  while (end < sorted.length && sorted[end].file === file) end += 1;
  if (own.length === 0 && start === end) return sorted as Diagnostic[];
  return [...sorted.slice(0, start), ...own, ...sorted.slice(end)];
}
