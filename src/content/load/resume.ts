import { byCodeUnits } from '../../model/order.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { openRecordFile, writeRecordFile, type RecordFile, type RecordPlace } from '../record-file.ts';
import { resumeRecord, saveRecord, type RecordFacts, type SavedRecord } from '../record.ts';
import { createWarmStartPack } from '../render-cache.ts';
import { rendererKey } from '../renderer-key.ts';
import { createTimeSlicer, filterSliced } from '../time-slice.ts';
import { buildViewInSlices } from '../view.ts';
import { snapshotOf } from './publish.ts';
import { checkFolder, listFolder, type FolderListing } from './scan.ts';
import { rulesKeyOf, type LoaderState, type LoadRun } from './state.ts';
import type { ResumeTable } from './types.ts';

/**
 * A start that serves the last snapshot again, without loading, when nothing it was made of has
 * changed. A clean shutdown saves the snapshot's table (what it was made under, every file it
 * looked at with its size and modification time, its versions, problems, redirects and private
 * files) and each record's facts, front matter and actions in the warm-start pack (chunks checked
 * by their MAC before anything in them is decoded), and each record's entry and render in a
 * record file beside it (see record-file.ts), which a resumed record reads when first used.
 *
 * The next start reads the table and the facts, and lists and looks at the folder as any load
 * does (the safe reader: a file turned into a symlink out of the folder is refused, not served).
 * When the renderer, the site's rules and files, the images, PUBLIC_URL, the embed hosts and
 * every file's size and time are as saved, the snapshot is made of the saved records at once:
 * at 10,000 pages, about 0.2 s from the start of the resume to the snapshot, where a warm load
 * reads the pack, selects, checks links, assembles and publishes for about 0.4–0.5 s. Anything
 * else, and the start loads as before.
 *
 * The resumed snapshot is the one the whole load that follows gives (the same versions, pages,
 * ETags and problems), since that load makes it from the same inputs: the load runs right after,
 * to build the loader's own state (what live edits are applied to), and gives each resumed record
 * the inputs it made, so no page is held twice. A snapshot that differs after all (the clock let
 * a future-dated post through, say) is announced as any update is.
 */
export function createResume(state: LoaderState, cacheDir: string | null | undefined) {
  if (!cacheDir) return null;
  /** What the resume part holds, as it is read: its table (the first entry) and its records. */
  let reading: { table: (table: ResumeTable | undefined) => void; records: ResumeEntry[] } | undefined;
  /** What the resume part on disk holds: a shutdown writes it only when the snapshot has changed. */
  let saved = '';
  /** The entries the next write of the resume part writes (see save). */
  let writing: [string, unknown][] = [];
  /** The record file the resumed records read their inputs from, open until the loader closes. */
  let source: RecordFile | null = null;
  const pack = createWarmStartPack(cacheDir, state.root, rendererKey(), {
    resume: {
      entries: () => writing,
      prime(entries) {
        for (const [key, value] of entries) {
          if (key === '') reading?.table(value as ResumeTable);
          else reading?.records.push(value as ResumeEntry);
        }
      },
    },
  });

  /** The saved snapshot, if it can be served as it is; null to load. */
  async function resume(): Promise<Snapshot | null> {
    if (state.last || state.files.size > 0) return null;
    const started = performance.now();
    state.reader.beginLoad();
    // The table comes first: the files are checked against it while the records are read.
    const records: ResumeEntry[] = [];
    const table = new Promise<ResumeTable | undefined>((resolve) => (reading = { table: resolve, records }));
    const stop = new AbortController();
    const read = pack.read('resume', stop.signal).finally(() => reading?.table(undefined));
    let resumed: Snapshot | null = null;
    let folder: FolderListing | null = null;
    try {
      // The folder is listed, and its files' lstats taken, while the table is read.
      folder = await checkFolder(state).then(() => listFolder(state), () => null);
      const saved = folder && (await checkAgainst(await table, folder));
      if (!saved) return null;
      const place = await pack.place(INPUTS);
      source = place && (await openRecordFile(place.file, place.key, saved.generation));
      await read;
      if (!source || saved.pages !== records.length) return null;
      resumed = await snapshotFrom(saved, records, source, started);
      return resumed;
    } finally {
      reading = undefined;
      stop.abort();
      // Nothing of this resume is left running: lstats taken after the load that follows began
      // would be taken for its own.
      await Promise.all([read, folder?.primed.catch(() => undefined)]);
      if (!resumed) await close();
    }
  }

  /** The table, if the folder is as it says: the same renderer, site rules, images, PUBLIC_URL and files. */
  async function checkAgainst(saved: ResumeTable | undefined, listing: FolderListing): Promise<(ResumeTable & { run: Omit<LoadRun, 'started' | 'diagnostics'> }) | null> {
    const current = await state.currentRules();
    const assets = await state.indexAssets();
    const rulesKey = await rulesKeyOf(state, current.rules);
    if (!saved || saved.rulesKey !== rulesKey || saved.siteKey !== current.key || saved.assetsKey !== assets.key || saved.publicUrl !== state.publicUrl) return null;
    const paths = await listing.candidates.then((files) => filterSliced(files, current.rules.isContentFile), () => null);
    if (!paths) return null;
    await listing.primed.catch(() => undefined);
    if (!(await unchanged(state, paths, saved.files))) return null;
    return { ...saved, run: { rules: current.rules, siteSources: current.sources, siteKey: current.key, rulesKey, assets } };
  }

  /** The snapshot of the saved records, as the load that saved them published it. */
  async function snapshotFrom(
    saved: ResumeTable & { run: Omit<LoadRun, 'started' | 'diagnostics'> },
    records: ResumeEntry[],
    inputs: RecordFile,
    started: number,
  ): Promise<Snapshot> {
    // A record is made in a microsecond or two: the clock is read every 32 (see createTimeSlicer).
    const slice = createTimeSlicer(8, 32);
    const pageRecords: PageRecord[] = [];
    const resumed = new Map<string, { identity: string; record: PageRecord }>();
    for (const [file, summary, modified, published, introduction, identity, shown, offset, length] of records) {
      const pause = slice();
      if (pause) await pause;
      const record = resumeRecord({ facts: { file, summary, modified, published, introduction, identity }, shown }, inputs, [offset, length], state.bodies);
      pageRecords.push(record);
      resumed.set(file, { identity, record });
    }
    const redirects = new Map(saved.redirects);
    const drafts = pageRecords.some((record) => !record.published);
    const publishedView = await buildViewInSlices(drafts ? pageRecords.filter((record) => record.published) : pageRecords, redirects, 'published', slice);
    state.resumed = resumed;
    markSaved(saved.previewVersion, saved.diagnostics);
    return snapshotOf({ ...saved.run, started, diagnostics: saved.diagnostics }, {
      publishedView,
      pageRecords,
      redirects,
      privateFiles: new Set(saved.privateFiles),
      versions: { published: { digest: saved.version }, preview: { digest: saved.previewVersion } },
      diagnostics: saved.diagnostics,
      read: 0,
      rendered: 0,
    });
  }

  function markSaved(previewVersion: string, diagnostics: Snapshot['diagnostics']): string {
    return (saved = `${previewVersion}\0${JSON.stringify(diagnostics)}`);
  }

  /**
   * Writes the resume part when the last load's snapshot is not the one it holds (shutdown): the
   * records' inputs in a record file, then the table and the facts, which name the file's
   * generation (a crash between the two leaves a table that resumes nothing).
   */
  async function save(): Promise<void> {
    const snapshot = state.last?.snapshot;
    if (!snapshot) return;
    const was = saved;
    if (markSaved(snapshot.previewVersion, snapshot.diagnostics) === was) return;
    const place = await pack.place(INPUTS);
    const prepared = prepare(state);
    writing = [];
    if (place && prepared) {
      const written = await writeRecordFile(place.file, place.key, prepared.records.map((record) => record.inputs)).catch(() => null);
      if (written) {
        const table: ResumeTable = { ...prepared.table, generation: written.generation };
        writing = [['', table], ...prepared.records.map((record, at): [string, ResumeEntry] => [record.facts.file, entryOf(record, written.places[at])])];
      }
    }
    await pack.write();
    writing = [];
  }

  /** Closes the record file (the loader is closing: no resumed record is read after its last save). */
  async function close(): Promise<void> {
    await source?.close();
    source = null;
  }

  return { resume, save, close };
}

/**
 * Whether the folder's content files are those saved, each of the same size and modification
 * time. Both lists are in code-unit order (a listing's, and the table's as saved): compared side
 * by side.
 */
async function unchanged(state: LoaderState, paths: readonly string[], files: ResumeTable['files']): Promise<boolean> {
  if (paths.length !== files.length || !paths.every((file, at) => file === files[at][0])) return false;
  const looks = await state.reader.lookAll(paths);
  return looks.every((look, at) => look.ok && look.size === files[at][1] && look.modified === files[at][2]);
}

/**
 * A record as the resume part keeps it: its facts, its front matter and actions (see
 * SavedRecord), and where its inputs are in the record file. An array, not an object: V8's
 * deserializer makes 10,000 arrays in about half the time of as many objects of named fields.
 */
type ResumeEntry = [file: string, summary: RecordFacts['summary'], modified: number, published: boolean, introduction: string, identity: string, shown: string, offset: number, length: number];

function entryOf({ facts, shown }: SavedRecord, [offset, length]: RecordPlace): ResumeEntry {
  return [facts.file, facts.summary, facts.modified, facts.published, facts.introduction, facts.identity, shown, offset, length];
}

/** The file beside the pack that holds the records' inputs. */
const INPUTS = 'resume-inputs';

/**
 * The table and the records to save, in the snapshot's order. None when a start could not get
 * the same snapshot from the files: a file that could not be read or parsed (its problem may not
 * recur), or one served by its last good version (a start has only the broken one).
 */
function prepare(state: LoaderState): { table: Omit<ResumeTable, 'generation'>; records: SavedRecord[] } | null {
  const last = state.last;
  if (!last) return null;
  const files: ResumeTable['files'] = [];
  for (const [file, { key, size, modified }] of state.files) {
    if (!key) return null;
    files.push([file, size, modified]);
  }
  // In the order a listing of the folder gives them (see unchanged).
  files.sort(([a], [b]) => byCodeUnits(a, b));
  for (const served of last.servedByFile.values()) if (state.files.get(served.file)?.key !== served.key) return null;
  const records: SavedRecord[] = [];
  for (const record of last.snapshot.pages) {
    const saved = saveRecord(record);
    if (!saved) return null;
    records.push(saved);
  }
  const { run, snapshot } = last;
  const table = {
    rulesKey: run.rulesKey,
    siteKey: run.siteKey,
    assetsKey: run.assets.key,
    publicUrl: state.publicUrl,
    pages: records.length,
    files,
    version: snapshot.version,
    previewVersion: snapshot.previewVersion,
    diagnostics: [...snapshot.diagnostics],
    redirects: [...last.redirects],
    privateFiles: [...last.privateFiles],
  };
  return { table, records };
}
