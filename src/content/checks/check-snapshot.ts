import { opendir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, DiagnosticReport } from '../../../schemas/diagnostic.ts';
import type { ContentView } from '../../model/content-view.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { checkAnchors } from './anchors.ts';
import { checkAssets } from './assets.ts';
import type { CheckedPage, ContentCheck } from './check-context.ts';
import { checkFaq } from './faq.ts';
import { checkHeadings } from './headings.ts';
import { referencesOf } from './references.ts';
import { checkTitles } from './titles.ts';
import { byCodeUnits } from '../../model/order.ts';
import type { PageFacts } from '../../model/page-facts.ts';
import type { PageRecord } from '../../model/page-record.ts';

/** The checks run over every content version, beyond what loading the content finds. */
export const contentChecks: readonly ContentCheck[] = [checkAnchors, checkAssets, checkHeadings, checkFaq, checkTitles];

/** What the checks look at besides the snapshot: every file's path, and each page's facts. */
export interface ContentFolder {
  /** Every file (relative paths with `/`), pages and assets alike. */
  files: ReadonlySet<string>;
  /** Page file → what the checks need of it, taken when it was read and rendered. */
  sources: ReadonlyMap<string, PageFacts>;
}

/** Folders no site serves from and that can be huge. */
const UNLISTED_FOLDERS = new Set(['.git', 'node_modules']);

export interface ReadOptions {
  /** Reports how far reading has got: `done` of `total` pages. */
  onProgress?: (done: number, total: number) => void;
  /** Waits for the next turn of the event loop (default: one setImmediate); a service waits for its loads too. */
  nextTurn?: () => Promise<void>;
}

/**
 * What the checks need of the content folder: its file list (the only thing read from the disk),
 * and the facts of each of the snapshot's pages, which its records carry (no page is read or
 * parsed again).
 */
export async function readContentFolder(snapshot: Snapshot, dir: string, options: ReadOptions = {}): Promise<ContentFolder> {
  const files = new Set<string>();
  await listFiles(path.resolve(dir), '', files);
  const sources = new Map<string, PageFacts>();
  const pages = snapshot.preview.pages;
  for (const [index, record] of pages.entries()) {
    sources.set(record.file, pageFactsOf(record));
    options.onProgress?.(index + 1, pages.length);
  }
  return { files, sources };
}

/** A record's facts, decoded. */
function pageFactsOf(record: PageRecord): PageFacts {
  return JSON.parse(record.facts) as PageFacts;
}

async function listFiles(root: string, folder: string, files: Set<string>): Promise<void> {
  const directory = await opendir(path.join(root, folder)).catch(() => null);
  if (!directory) return;
  for await (const entry of directory) {
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
  const pages: CheckedPage[] = snapshot.preview.pages.map((record) => checkedPage(snapshot, folder, record));
  const context = { snapshot, pages, files: folder.files };
  return contentChecks.flatMap((check) => check(context)).sort(byFileAndPosition);
}

/** A page as the checks see it: its record, its facts and their references, and the view it links within. */
function checkedPage(snapshot: Snapshot, folder: ContentFolder, record: PageRecord): CheckedPage {
  const facts = folder.sources.get(record.file) ?? pageFactsOf(record);
  return { record, facts, references: referencesOf(facts, snapshot.baseUrl), view: record.published ? snapshot.published : snapshot.preview };
}

/** Pages whose links are extracted between two turns of the event loop. */
const PAGES_PER_TURN = 50;
const setImmediateTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * {@link checkSnapshot} a slice at a time: links extracted for a few pages per turn of the event
 * loop, one check per turn, so that a service checking its content in the background keeps
 * answering requests meanwhile (run in one piece, 2,000 pages held the event loop for 0.2 to 0.8 s).
 */
async function checkSnapshotInTurns(snapshot: Snapshot, folder: ContentFolder, nextTurn: () => Promise<void>): Promise<Diagnostic[]> {
  const pages: CheckedPage[] = [];
  const records = snapshot.preview.pages;
  for (let start = 0; start < records.length; start += PAGES_PER_TURN) {
    await nextTurn();
    for (const record of records.slice(start, start + PAGES_PER_TURN)) pages.push(checkedPage(snapshot, folder, record));
  }
  const context = { snapshot, pages, files: folder.files };
  const found: Diagnostic[] = [];
  for (const check of contentChecks) {
    await nextTurn();
    found.push(...check(context));
  }
  return found.sort(byFileAndPosition);
}

/** Every problem of a snapshot: the loader's, then the checks', by file and line. */
export async function diagnoseContent(snapshot: Snapshot, dir: string, options: ReadOptions = {}): Promise<Diagnostic[]> {
  const nextTurn = options.nextTurn ?? setImmediateTurn;
  await nextTurn();
  const found = await checkSnapshotInTurns(snapshot, await readContentFolder(snapshot, dir, options), nextTurn);
  return [...snapshot.diagnostics, ...found].sort(byFileAndPosition);
}

/**
 * {@link diagnoseContent} computed once per snapshot (a snapshot never changes, and a new
 * version is a new snapshot), for services that answer many requests from one version. The
 * checks read no page (the records carry what they need), so they run on the main thread, a
 * few pages per turn of the event loop (`nextTurn`), not in a worker holding a second copy of the site.
 */
export function memoizeDiagnostics(dir: string, nextTurn?: () => Promise<void>): (snapshot: Snapshot) => Promise<readonly Diagnostic[]> {
  const computed = new WeakMap<Snapshot, Promise<readonly Diagnostic[]>>();
  return (snapshot) => {
    let diagnostics = computed.get(snapshot);
    if (!diagnostics) {
      diagnostics = diagnoseContent(snapshot, dir, { nextTurn });
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
