import v8 from 'node:v8';
import type { Page } from '../../../schemas/page.ts';
import { byCodeUnits } from '../../model/order.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { ListedPage, type ListedFacts, type ListedSummary, type Listing } from '../listed-page.ts';
import { openRecordFile, writeRecordFile, type RecordFile, type RecordPlace } from '../record-file.ts';
import { resumeRecord, saveRecord, saveSummary, summaryFromSaved, TextsGroup, type SavedRecord, type SavedSummary } from '../record.ts';
import { createWarmStartPack } from '../render-cache.ts';
import { rendererKey } from '../renderer-key.ts';
import { createTimeSlicer, filterSliced } from '../time-slice.ts';
import { buildViewInSlices } from '../view.ts';
import { snapshotOf } from './publish.ts';
import { checkFolder, listFolder, type FolderListing } from './scan.ts';
import { rulesKeyOf, type LoaderState, type LoadRun } from './state.ts';
import type { ResumeTable, ServedFile } from './types.ts';

/**
 * A start that serves the last snapshot again, without loading, when nothing it was made of has
 * changed. A clean shutdown saves the snapshot's table (what it was made under, every file it
 * looked at with its size and modification time, its versions, problems, redirects and private
 * files) and each record's facts but its excerpt in the warm-start pack (chunks checked by their
 * MAC before anything in them is decoded); in a record file beside it (see record-file.ts), each
 * record's entry and render, and the records' excerpts, front matter and actions a few hundred
 * records together, which a resumed record reads when first used.
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
 *
 * A shutdown before the first load ended (its render cut short) saves that load's listing (see
 * listing.ts) the same way: the pages rendered by then as records, the others as listed pages,
 * with their facts and front matter. The next start with the same files serves the listing at
 * once, as that load served it, and the load that follows renders only the rest; a listed page
 * asked for takes its record from that load (its own listing, which asks for its render first),
 * rather than wait for a warm load to list the pages again.
 */
export function createResume(state: LoaderState, cacheDir: string | null | undefined) {
  if (!cacheDir) return null;
  /** What the resume part holds, as it is read: its table (the first entry), its records and their texts, and how many records. */
  let reading: { table: (table: ResumeTable | undefined) => void; records: ResumeItem[]; pages: number } | undefined;
  /** What the resume part on disk holds: a shutdown writes it only when the snapshot has changed. */
  let onDisk = '';
  /** The entries the next write of the resume part writes (see save). */
  let writing: [string, unknown][] = [];
  /** The record file the resumed records read their inputs from, open until the loader closes. */
  let source: RecordFile | null = null;
  const pack = createWarmStartPack(cacheDir, state.root, rendererKey(), {
    resume: {
      entries: () => writing,
      prime(entries) {
        if (!reading) return;
        for (let at = 0; at < entries.length; at++) {
          const key = entries[at][0];
          const value = entries[at][1];
          if (key === '') reading.table(value as ResumeTable);
          else if (key === TEXTS) reading.records.push({ texts: value as RecordPlace });
          else {
            reading.records.push(value as ResumeEntry);
            reading.pages += 1;
          }
        }
      },
    },
  });

  /** The saved snapshot, if it can be served as it is; null to load. */
  async function resume(): Promise<Resumed | null> {
    if (state.last || state.files.size > 0) return null;
    const started = performance.now();
    state.reader.beginLoad();
    // The table comes first: the files are checked against it while the records are read.
    let tableRead: (table: ResumeTable | undefined) => void = () => undefined;
    const table = new Promise<ResumeTable | undefined>((resolve) => (tableRead = resolve));
    const part = (reading = { table: tableRead, records: [] as ResumeItem[], pages: 0 });
    const stop = new AbortController();
    const read = pack.read('resume', stop.signal).finally(() => reading?.table(undefined));
    let resumed: Resumed | null = null;
    let folder: FolderListing | null = null;
    // The site's rules and images are read while the table is.
    const site = readSite(state);
    site.catch(() => undefined);
    try {
      // The folder is listed, and its files' lstats taken, while the table is read.
      folder = await checkFolder(state).then(() => listFolder(state), () => null);
      const saved = folder && (await checkAgainst(await table, folder, site));
      if (!saved) return null;
      const place = await pack.place(INPUTS);
      source = place && (await openRecordFile(place.file, place.key, saved.generation));
      await read;
      if (!source || saved.pages !== part.pages) return null;
      resumed = await snapshotFrom(saved, part.records, source, started);
      return resumed;
    } finally {
      reading = undefined;
      stop.abort();
      // Nothing of this resume is left running: lstats taken after the load that follows began
      // would be taken for its own.
      await Promise.all([read, folder?.primed.catch(() => undefined), site.catch(() => undefined)]);
      if (!resumed) await close();
    }
  }

  /** The table, if the folder is as it says: the same renderer, site rules, images, PUBLIC_URL and files. */
  async function checkAgainst(
    saved: ResumeTable | undefined,
    listing: FolderListing,
    site: ReturnType<typeof readSite>,
  ): Promise<(ResumeTable & { run: Omit<LoadRun, 'started' | 'diagnostics'> }) | null> {
    const [current, assets] = await site;
    const rulesKey = await rulesKeyOf(state, current.rules);
    if (!saved || saved.rulesKey !== rulesKey || saved.siteKey !== current.key || saved.assetsKey !== assets.key || saved.publicUrl !== state.publicUrl) return null;
    const paths = await listing.candidates.then((files) => filterSliced(files, current.rules.isContentFile), () => null);
    if (!paths) return null;
    await listing.primed.catch(() => undefined);
    if (!(await unchanged(state, paths, saved.files))) return null;
    return { ...saved, run: { rules: current.rules, siteSources: current.sources, siteKey: current.key, rulesKey, assets } };
  }

  /**
   * The snapshot of the saved records, as the load that saved them published it; or the listing
   * it saved, its pages not rendered by then listed, each taking its record from the first load's
   * own listing (or its snapshot) once that load has made it (see LoaderState.follow).
   */
  async function snapshotFrom(
    saved: ResumeTable & { run: Omit<LoadRun, 'started' | 'diagnostics'> },
    records: ResumeItem[],
    inputs: RecordFile,
    started: number,
  ): Promise<Resumed> {
    // A record is made in a microsecond or two: the clock is read every 32 (see createTimeSlicer).
    const slice = createTimeSlicer(8, 32);
    const pageRecords: PageRecord[] = [];
    const resumed = new Map<string, { identity: string; record: PageRecord }>();
    // The listed pages' front matter as served, serialized, by place in the listing.
    const shownAt = new Map<number, string>();
    let listing: Listing | undefined;
    // The texts of the records that follow them (see entriesOf).
    let group: TextsGroup | undefined;
    // Entries are read by index, not destructured (see WorkCache.prime): once per record, before V8 optimizes this loop.
    for (const entry of records) {
      const pause = slice();
      if (pause) await pause;
      if (!Array.isArray(entry)) {
        group = new TextsGroup(inputs, entry.texts);
        continue;
      }
      if (entry.length === LISTED_ENTRY_LENGTH) {
        shownAt.set(pageRecords.length, entry[4]);
        listing ??= resumedListing(state, pageRecords, shownAt);
        pageRecords.push(new ListedPage({ file: entry[0], summary: entry[1], modified: entry[2], published: entry[3] }, pageRecords.length, listing));
        continue;
      }
      const file = entry[0];
      const identity = entry[5];
      const start = entry[8];
      const excerptLength = entry[9];
      if (!group) throw new Error('a resumed record without its texts');
      const shownStart = start + Math.max(excerptLength, 0);
      const texts = { group, start, shownStart, end: shownStart + entry[10], excerpt: excerptLength >= 0 };
      const summary = summaryFromSaved(entry[1], texts);
      const facts = { file, summary, modified: entry[2], published: entry[3], introduction: entry[4], identity };
      const record = resumeRecord({ facts, texts }, inputs, [entry[6], entry[7]], state.bodies);
      pageRecords.push(record);
      resumed.set(file, { identity, record });
    }
    const redirects = new Map(saved.redirects);
    const drafts = pageRecords.some((record) => !record.published);
    const publishedView = await buildViewInSlices(drafts ? pageRecords.filter((record) => record.published) : pageRecords, redirects, 'published', slice);
    state.resumed = resumed;
    // A listing is saved at every shutdown that comes before its load ends; a snapshot only when changed.
    if (saved.listing) onDisk = '';
    else markSaved(saved.previewVersion, saved.diagnostics);
    const snapshot = snapshotOf({ ...saved.run, started, diagnostics: saved.diagnostics }, {
      publishedView,
      pageRecords,
      redirects,
      privateFiles: new Set(saved.privateFiles),
      versions: { published: { digest: saved.version }, preview: { digest: saved.previewVersion } },
      diagnostics: saved.diagnostics,
      read: 0,
      rendered: 0,
    });
    return { snapshot, listing: saved.listing === true };
  }

  function markSaved(previewVersion: string, diagnostics: Snapshot['diagnostics']): string {
    return (onDisk = `${previewVersion}\0${JSON.stringify(diagnostics)}`);
  }

  /**
   * Writes the resume part (shutdown): the last load's snapshot when it is not the one the part
   * holds, or the listing of a first load not ended yet (see listing.ts). The records' inputs go
   * in a record file, then the table and the facts, which name the file's generation (a crash
   * between the two leaves a table that resumes nothing).
   */
  async function save(): Promise<void> {
    const made = savedOf(state);
    if (!made) return;
    if (!made.listing) {
      const was = onDisk;
      if (markSaved(made.snapshot.previewVersion, made.snapshot.diagnostics) === was) return;
    }
    const place = await pack.place(INPUTS);
    const prepared = await prepare(state, made);
    writing = [];
    if (place && prepared) {
      const inputs = prepared.records.flatMap((record) => ('inputs' in record ? [record.inputs] : []));
      const texts = textsOf(prepared.records);
      const groups = texts.groups.flatMap(({ bytes }) => (bytes ? [bytes] : []));
      const written = await writeRecordFile(place.file, place.key, [...inputs, ...groups]).catch(() => null);
      if (written) {
        const table: ResumeTable = { ...prepared.table, generation: written.generation };
        const places = { inputs: written.places.slice(0, inputs.length), texts: written.places.slice(inputs.length) };
        writing = [['', table], ...entriesOf(prepared.records, texts, places)];
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

/** The site's rules and its images, which the table must have been saved under. */
function readSite(state: LoaderState) {
  return Promise.all([state.currentRules(), state.indexAssets()]);
}

/**
 * Whether the folder's content files are those saved, each of the same size and modification
 * time. Both lists are in code-unit order (a listing's, and the table's as saved): compared side
 * by side.
 */
async function unchanged(state: LoaderState, paths: readonly string[], files: ResumeTable['files']): Promise<boolean> {
  if (paths.length !== files.length || !paths.every((file, at) => file === files[at][0])) return false;
  const primed = await state.reader.unchangedSincePrime(paths, (at) => [files[at][1], files[at][2]]);
  if (primed !== null) return primed;
  const looks = await state.reader.lookAll(paths);
  return looks.every((look, at) => look.ok && look.size === files[at][1] && look.modified === files[at][2]);
}

/** What a start resumed: a snapshot, or a first load's listing (its pages not rendered yet are listed, see resumedListing). */
export interface Resumed {
  snapshot: Snapshot;
  listing: boolean;
}

/**
 * A record as the resume part keeps it: its facts but its excerpt, where its inputs are in the
 * record file, and where its excerpt (its length, -1 for none) and its front matter and actions
 * are in the texts before it (see entriesOf); or, in a listing, a page not rendered yet: what it
 * is listed by and its front matter as served (see SavedListed). Arrays, not objects: V8's
 * deserializer makes 10,000 arrays in about half the time of as many objects of named fields.
 */
type ResumeEntry =
  | [
      file: string,
      summary: SavedSummary,
      modified: number,
      published: boolean,
      introduction: string,
      identity: string,
      offset: number,
      length: number,
      textsAt: number,
      excerptLength: number,
      shownLength: number,
    ]
  | [file: string, summary: ListedSummary, modified: number, published: boolean, shown: string];

/** What the resume part holds after its table: the records, each group of them after the place of its texts (see entriesOf). */
type ResumeItem = ResumeEntry | { texts: RecordPlace };

/** The length of a listed page's entry (see ResumeEntry). */
const LISTED_ENTRY_LENGTH = 5;

/** The key of a texts entry: no file's name (a name holds no NUL). */
const TEXTS = '\0texts';

/** At most so many records' texts are read together, and a group ends once its texts pass TEXTS_GROUP_BYTES. */
const TEXTS_GROUP = 256;
const TEXTS_GROUP_BYTES = 1024 * 1024;

/** Where a record's texts are in its group's: their start, its excerpt's length (-1: none) and its front matter's. */
type TextsAt = [start: number, excerptLength: number, shownLength: number];

/** Records [first, last) of a save, and their texts (none for a group of listed pages only). */
interface TextsGroupOf {
  first: number;
  last: number;
  bytes: Uint8Array | null;
}

/**
 * The records' texts, in groups of consecutive records: each record's excerpt (UTF-8) then its
 * front matter and actions, side by side, saved as one record of the record file (see
 * TextsGroup); and where each record's are in its group's (null for a listed page, whose front
 * matter the resume part holds).
 */
function textsOf(records: readonly (SavedRecord | SavedListed)[]): { groups: TextsGroupOf[]; at: (TextsAt | null)[] } {
  const groups: TextsGroupOf[] = [];
  const at: (TextsAt | null)[] = [];
  let texts: Uint8Array[] = [];
  let first = 0;
  let start = 0;
  const end = (last: number) => {
    groups.push({ first, last, bytes: texts.length > 0 ? Buffer.concat(texts) : null });
    [texts, first, start] = [[], last, 0];
  };
  for (const [index, record] of records.entries()) {
    if (index - first === TEXTS_GROUP || start >= TEXTS_GROUP_BYTES) end(index);
    if (!('inputs' in record)) {
      at.push(null);
      continue;
    }
    const { excerpt } = record.facts.summary;
    const excerptBytes = excerpt === null ? null : Buffer.from(excerpt);
    at.push([start, excerptBytes?.length ?? -1, record.shown.length]);
    if (excerptBytes) texts.push(excerptBytes);
    texts.push(record.shown);
    start += (excerptBytes?.length ?? 0) + record.shown.length;
  }
  if (first < records.length) end(records.length);
  return { groups, at };
}

/**
 * The resume part's entries of `records`, in order, each group's after the place of its texts in
 * the record file (see textsOf); `places` are where the record file holds the records' inputs and
 * the groups' texts, in order.
 */
function entriesOf(
  records: readonly (SavedRecord | SavedListed)[],
  texts: { groups: readonly TextsGroupOf[]; at: readonly (TextsAt | null)[] },
  places: { inputs: readonly RecordPlace[]; texts: readonly RecordPlace[] },
): [string, ResumeEntry | RecordPlace][] {
  const entries: [string, ResumeEntry | RecordPlace][] = [];
  let input = 0;
  let group = 0;
  for (const { first, last, bytes } of texts.groups) {
    if (bytes) entries.push([TEXTS, places.texts[group++]]);
    for (let index = first; index < last; index++) {
      const record = records[index];
      const at = texts.at[index];
      if (!('inputs' in record) || !at) {
        entries.push([record.facts.file, listedEntryOf(record as SavedListed)]);
        continue;
      }
      const { facts } = record;
      const [offset, length] = places.inputs[input++];
      const summary = saveSummary({ ...facts.summary, excerpt: null });
      entries.push([facts.file, [facts.file, summary, facts.modified, facts.published, facts.introduction, facts.identity, offset, length, ...at]]);
    }
  }
  return entries;
}

/** A page of a listing saved before it was rendered: what it is listed by, and its front matter as served (serialized as SavedRecord's `shown`). */
interface SavedListed {
  facts: ListedFacts;
  shown: string;
}

function listedEntryOf({ facts, shown }: SavedListed): ResumeEntry {
  return [facts.file, facts.summary, facts.modified, facts.published, shown];
}

/**
 * The listing of a resumed start, for its pages not rendered yet: the front matter each was saved
 * with, and its record from what the first load makes (see LoaderState.follow): that load's own
 * listing, which asks for its render first, or its snapshot. `pages` are the listing's records.
 */
function resumedListing(state: LoaderState, pages: readonly PageRecord[], shownAt: ReadonlyMap<number, string>): Listing {
  const following = new Promise<Snapshot | undefined>((resolve) => (state.follow = resolve));
  let byFile: Map<string, PageRecord> | undefined;
  return {
    frontMatterOf: (index) => v8.deserialize(Buffer.from(shownAt.get(index)!, 'latin1')) as Page['front_matter'],
    async recordOf(index) {
      const next = await following;
      if (!next) return undefined;
      byFile ??= new Map(next.pages.map((record) => [record.file, record]));
      const record = byFile.get(pages[index].file);
      return record?.rendered ? record.rendered() : record;
    },
    // A shutdown saves a listing made by a load, never this one: the one saved is still the same.
    renderedNow: () => undefined,
  };
}

/** The file beside the pack that holds the records' inputs. */
const INPUTS = 'resume-inputs';

/** What a shutdown saves: the last load's snapshot, else the listing of the first load under way; each with what it was made under and from. */
interface Saved {
  run: LoadRun;
  snapshot: Snapshot;
  served: Iterable<ServedFile>;
  redirects: ReadonlyMap<string, string>;
  privateFiles: ReadonlySet<string>;
  listing: boolean;
}

function savedOf({ last, listing }: LoaderState): Saved | undefined {
  if (last) return { run: last.run, snapshot: last.snapshot, served: last.servedByFile.values(), redirects: last.redirects, privateFiles: last.privateFiles, listing: false };
  if (listing) {
    const { selection } = listing;
    return { run: listing.run, snapshot: listing.snapshot, served: selection.served, redirects: selection.redirects, privateFiles: selection.privateFiles, listing: true };
  }
  return undefined;
}

/**
 * The table and the records to save, in the snapshot's order; in a listing, the pages rendered
 * by now as records, the others as listed. None when a start could not get the same snapshot from
 * the files: a file that could not be read or parsed (its problem may not recur), or one served
 * by its last good version (a start has only the broken one). In slices: at 10,000 pages a
 * listing's records are made and serialized here, some hundreds of milliseconds.
 */
async function prepare(state: LoaderState, made: Saved): Promise<{ table: Omit<ResumeTable, 'generation'>; records: (SavedRecord | SavedListed)[] } | null> {
  const slice = createTimeSlicer(8, 16);
  const files: ResumeTable['files'] = [];
  for (const [file, { key, size, modified }] of state.files) {
    if (!key) return null;
    files.push([file, size, modified]);
  }
  // In the order a listing of the folder gives them (see unchanged).
  files.sort(([a], [b]) => byCodeUnits(a, b));
  for (const served of made.served) if (state.files.get(served.file)?.key !== served.key) return null;
  const records: (SavedRecord | SavedListed)[] = [];
  for (const page of made.snapshot.pages) {
    const pause = slice();
    if (pause) await pause;
    const record = page instanceof ListedPage ? page.renderedNow() : page;
    if (page instanceof ListedPage && !record) {
      records.push({ facts: page.listedFacts(), shown: v8.serialize(page.frontMatter).toString('latin1') });
      continue;
    }
    const saved = record && saveRecord(record);
    if (!saved) return null;
    records.push(saved);
  }
  const { run, snapshot } = made;
  const table = {
    rulesKey: run.rulesKey,
    siteKey: run.siteKey,
    assetsKey: run.assets.key,
    publicUrl: state.publicUrl,
    pages: records.length,
    listing: made.listing,
    files,
    version: snapshot.version,
    previewVersion: snapshot.previewVersion,
    diagnostics: [...snapshot.diagnostics],
    redirects: [...made.redirects],
    privateFiles: [...made.privateFiles],
  };
  return { table, records };
}
