import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, DiagnosticReport } from '../../../schemas/diagnostic.ts';
import type { ContentView } from '../../model/content-view.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { checkAnchors } from './anchors.ts';
import { assetSteps, checkAssets } from './assets.ts';
import type { CheckContext, CheckedPage, CheckSteps, ContentCheck } from './check-context.ts';
import { checkFaq } from './faq.ts';
import { checkHeadings } from './headings.ts';
import { referencesOf, type Reference } from './references.ts';
import { checkTitles } from './titles.ts';
import { byCodeUnits } from '../../model/order.ts';
import type { PageFacts } from '../../model/page-facts.ts';
import type { PageRecord } from '../../model/page-record.ts';

/** The checks of one page alone (its record and facts): their problems are kept with the record. */
const pageChecks: readonly ContentCheck[] = [checkHeadings, checkFaq, checkTitles];
/** The checks of the whole site (links between pages, the folder's files): anchors can be asked for a slice of the pages at a time. */
const siteChecks: readonly ContentCheck[] = [checkAnchors, checkAssets];
const slicedChecks: ReadonlySet<ContentCheck> = new Set([checkAnchors]);
/** Site checks that aggregate over every page (no slice of pages alone gives their problems): run in steps instead. */
const steppedChecks: ReadonlyMap<ContentCheck, (context: CheckContext) => CheckSteps> = new Map([[checkAssets, assetSteps]]);

/** The checks run over every content version, beyond what loading the content finds. */
export const contentChecks: readonly ContentCheck[] = [...siteChecks, ...pageChecks];

/** What the checks look at besides the snapshot (whose records carry each page's facts): every file's path. */
export interface ContentFolder {
  /** Every file (relative paths with `/`), pages and assets alike. */
  files: ReadonlySet<string>;
}

/** Folders no site serves from and that can be huge. */
const UNLISTED_FOLDERS = new Set(['.git', 'node_modules']);

export interface ReadOptions {
  /** Reports how far checking has got: `done` of `total` pages. */
  onProgress?: (done: number, total: number) => void;
  /** Waits for the next turn of the event loop (default: one setImmediate); a service waits for its loads too. */
  nextTurn?: () => Promise<void>;
  /** What the checks found of each page alone, by record, kept from one run to the next (see {@link memoizeDiagnostics}). */
  pageResults?: WeakMap<PageRecord, PageResults>;
}

/** What checking a page alone gives: its references (for the checks of the whole site) and the problems of each page check. */
interface PageResults {
  references: readonly Reference[];
  problems: Diagnostic[][];
}

/**
 * What the checks need of the content folder besides the snapshot: its file list, the one thing
 * read from the disk (the records carry what each page's author wrote, taken when it was read
 * and rendered: no page is read or parsed again).
 */
export async function readContentFolder(_snapshot: Snapshot, dir: string): Promise<ContentFolder> {
  const files = new Set<string>();
  await listFiles(path.resolve(dir), '', files);
  return { files };
}

async function listFiles(root: string, folder: string, files: Set<string>): Promise<void> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !UNLISTED_FOLDERS.has(entry.name)) await listFiles(root, relative, files);
    else if (entry.isFile()) files.add(relative);
  }
}

/**
 * Runs every content check over a snapshot (drafts included) and the folder it was loaded
 * from. Pure: the same snapshot and folder give the same problems, so `npm run check` and
 * GET /v1/diagnostics agree.
 */
export function checkSnapshot(snapshot: Snapshot, folder: ContentFolder): Diagnostic[] {
  const pages: CheckedPage[] = snapshot.preview.pages.map((record) => checkedPage(snapshot, record));
  const context = { snapshot, pages, files: folder.files };
  return contentChecks.flatMap((check) => check(context)).sort(byFileAndPosition);
}

/**
 * A page as the checks see it: its record, its facts (decoded when first read: a page whose
 * results are known is only a link target) and references, and the view it links within.
 */
function checkedPage(snapshot: Snapshot, record: PageRecord, references?: readonly Reference[]): CheckedPage {
  let facts: PageFacts | undefined;
  const factsOf = () => (facts ??= JSON.parse(record.facts) as PageFacts);
  return {
    record,
    get facts() {
      return factsOf();
    },
    references: references ?? referencesOf(factsOf(), snapshot.baseUrl),
    view: record.published ? snapshot.published : snapshot.preview,
  };
}

/** Pages a sliced site check (anchors) looks at between two turns of the event loop. */
const PAGES_PER_TURN = 50;
/** Milliseconds of checking pages alone between two turns of the event loop. */
const TURN_MS = 4;
const setImmediateTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * {@link checkSnapshot} a slice at a time, so that a service checking its content in the
 * background keeps answering requests meanwhile (run in one piece, 2,000 pages held the event
 * loop for 0.2 to 0.8 s): the checks of each page alone a few milliseconds per turn (their results
 * kept with the record in `pageResults`, so after a live edit only the edited page is checked
 * again), then the checks of the whole site, a slice of pages (anchors) or a step (assets) per
 * turn. The same problems in the same order as {@link checkSnapshot}.
 */
async function checkSnapshotInTurns(snapshot: Snapshot, folder: ContentFolder, options: ReadOptions): Promise<Diagnostic[]> {
  const nextTurn = options.nextTurn ?? setImmediateTurn;
  const pageResults = options.pageResults ?? new WeakMap<PageRecord, PageResults>();
  const records = snapshot.preview.pages;
  const pages: CheckedPage[] = [];
  const byCheck: Diagnostic[][] = pageChecks.map(() => []);
  // A turn every few milliseconds rather than every so many pages: a page checked for the first
  // time costs far more than one whose results are kept, and a slow machine more than a fast one.
  let turnStarted = -Infinity;
  for (const record of records) {
    if (performance.now() - turnStarted >= TURN_MS) {
      await nextTurn();
      turnStarted = performance.now();
    }
    const known = pageResults.get(record);
    const page = checkedPage(snapshot, record, known?.references);
    const results = known ?? { references: page.references, problems: pageChecks.map((check) => check({ snapshot, pages: [page], files: folder.files })) };
    pageResults.set(record, results);
    results.problems.forEach((found, index) => byCheck[index].push(...found));
    pages.push(page);
    options.onProgress?.(pages.length, records.length);
  }
  const context = { snapshot, pages, files: folder.files };
  const found: Diagnostic[] = [];
  for (const check of siteChecks) {
    const stepped = steppedChecks.get(check);
    if (stepped) {
      const steps = stepped(context);
      for (;;) {
        await nextTurn();
        const step = steps.next();
        if (step.done) {
          found.push(...step.value);
          break;
        }
      }
      continue;
    }
    // At least one page a slice: a snapshot with no pages (the one served before the first load)
    // is checked once, never in an endless run of empty slices.
    const slices = slicedChecks.has(check) ? PAGES_PER_TURN : Math.max(1, pages.length);
    for (let start = 0; start < pages.length || start === 0; start += slices) {
      await nextTurn();
      found.push(...check({ ...context, checking: pages.slice(start, start + slices) }));
    }
  }
  return [...found, ...byCheck.flat()].sort(byFileAndPosition);
}

/** Every problem of a snapshot: the loader's, then the checks', by file and line. */
export async function diagnoseContent(snapshot: Snapshot, dir: string, options: ReadOptions = {}): Promise<Diagnostic[]> {
  await (options.nextTurn ?? setImmediateTurn)();
  const found = await checkSnapshotInTurns(snapshot, await readContentFolder(snapshot, dir), options);
  return [...snapshot.diagnostics, ...found].sort(byFileAndPosition);
}

/** A check of a content version stopped because a newer version is served (see memoizeDiagnostics). */
export class SupersededVersion extends Error {
  constructor() {
    super('a newer content version is served');
    this.name = 'SupersededVersion';
  }
}

/**
 * {@link diagnoseContent} computed once per snapshot (a snapshot never changes, and a new
 * version is a new snapshot), for services that answer many requests from one version. The
 * checks read no page (the records carry what they need), so they run on the main thread, a
 * few milliseconds per turn of the event loop (`nextTurn`), and the checks of a page alone are kept
 * with its record, which unchanged pages keep from one version to the next.
 */
export function memoizeDiagnostics(
  dir: string,
  nextTurn: () => Promise<void> = setImmediateTurn,
  isCurrent: (snapshot: Snapshot) => boolean = () => true,
): (snapshot: Snapshot) => Promise<readonly Diagnostic[]> {
  const computed = new WeakMap<Snapshot, Promise<readonly Diagnostic[]>>();
  const pageResults = new WeakMap<PageRecord, PageResults>();
  return (snapshot) => {
    let diagnostics = computed.get(snapshot);
    if (!diagnostics) {
      // A run for a version no longer served stops at its next turn (a burst of edits would
      // otherwise leave one run per version to finish after it).
      const turn = async () => {
        await nextTurn();
        if (!isCurrent(snapshot)) throw new SupersededVersion();
      };
      diagnostics = diagnoseContent(snapshot, dir, { nextTurn: turn, pageResults });
      computed.set(snapshot, diagnostics);
      // A failed run is not kept: the next request tries again.
      diagnostics.catch(() => computed.delete(snapshot));
    }
    return diagnostics;
  };
}

/**
 * The problems one audience may see, with counts: drafts' files, and files whose front matter
 * could not be read (possible drafts), are named only in preview.
 */
export function diagnosticReport(snapshot: Snapshot, diagnostics: readonly Diagnostic[], view: ContentView, preview: boolean): DiagnosticReport {
  const hidden = new Set(snapshot.preview.pages.filter((record) => !view.bySlug.has(record.summary.slug)).map((record) => record.file));
  const visible = diagnostics.filter((diagnostic) => !hidden.has(diagnostic.file) && (preview || !snapshot.privateFiles.has(diagnostic.file)));
  const errors = visible.filter((diagnostic) => diagnostic.severity === 'error').length;
  return { version: snapshot.version, pages: view.pages.length, errors, warnings: visible.length - errors, diagnostics: visible };
}

function byFileAndPosition(a: Diagnostic, b: Diagnostic): number {
  return byCodeUnits(a.file, b.file) || a.line - b.line || a.column - b.column;
}
