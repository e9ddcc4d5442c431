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
import { readPageSource, type PageSource } from './page-source.ts';
import { referencesOf } from './references.ts';
import { checkTitles } from './titles.ts';
import { byCodeUnits } from '../../model/order.ts';
import { contentLimits } from '../limits.ts';
import { createSafeFileReader } from '../safe-file.ts';

/** The checks run over every content version, beyond what loading the content finds. */
export const contentChecks: readonly ContentCheck[] = [checkAnchors, checkAssets, checkHeadings, checkFaq, checkTitles];

/** What the checks read from the content folder: every file's path, and each page's source. */
export interface ContentFolder {
  /** Every file (relative paths with `/`), pages and assets alike. */
  files: ReadonlySet<string>;
  /** Page file → its source, for the pages of the snapshot that could be read. */
  sources: ReadonlyMap<string, PageSource>;
}

/** Folders no site serves from and that can be huge. */
const UNLISTED_FOLDERS = new Set(['.git', 'node_modules']);

export interface ReadOptions {
  /** Reports how far reading has got: `done` of `total` pages. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Sources parsed by earlier reads, by file: a page whose text has not changed is not parsed
   * again (parsing markdown is most of the checks' cost). Pass the same map to every read.
   */
  parsed?: Map<string, { text: string; source: PageSource }>;
}

/** Reads what the checks need of the content folder: its file list and the source of each of the snapshot's pages. */
export async function readContentFolder(snapshot: Snapshot, dir: string, options: ReadOptions = {}): Promise<ContentFolder> {
  const root = path.resolve(dir);
  // The same reader as the loader's: a page swapped for a symlink out since it was loaded is not read.
  const reader = createSafeFileReader(root);
  const files = new Set<string>();
  await listFiles(root, '', files);
  const sources = new Map<string, PageSource>();
  const pages = snapshot.preview.pages;
  for (const [index, record] of pages.entries()) {
    // A file removed since the snapshot was built is checked with the next snapshot.
    const read = await reader.read(record.file, contentLimits.maxFileBytes);
    const text = read.ok ? read.bytes.toString('utf8') : null;
    if (text !== null) {
      const known = options.parsed?.get(record.file);
      const source = known?.text === text ? known.source : readPageSource(text);
      options.parsed?.set(record.file, { text, source });
      sources.set(record.file, source);
    }
    options.onProgress?.(index + 1, pages.length);
  }
  for (const file of options.parsed?.keys() ?? []) if (!sources.has(file)) options.parsed!.delete(file);
  return { files, sources };
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
  const pages: CheckedPage[] = snapshot.preview.pages.map((record) => {
    const source = folder.sources.get(record.file) ?? null;
    return {
      record,
      source,
      references: source ? referencesOf(source, snapshot.baseUrl) : [],
      view: record.published ? snapshot.published : snapshot.preview,
    };
  });
  const context = { snapshot, pages, files: folder.files };
  return contentChecks.flatMap((check) => check(context)).sort(byFileAndPosition);
}

/** Pages whose links are extracted between two turns of the event loop. */
const PAGES_PER_TURN = 50;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * {@link checkSnapshot} a slice at a time: links extracted for a few pages per turn of the event
 * loop, one check per turn, so that a service checking its content in the background keeps
 * answering requests meanwhile (run in one piece, 2,000 pages held the event loop for 0.2 to 0.8 s).
 */
async function checkSnapshotInTurns(snapshot: Snapshot, folder: ContentFolder): Promise<Diagnostic[]> {
  const pages: CheckedPage[] = [];
  const records = snapshot.preview.pages;
  for (let start = 0; start < records.length; start += PAGES_PER_TURN) {
    await nextTurn();
    for (const record of records.slice(start, start + PAGES_PER_TURN)) {
      const source = folder.sources.get(record.file) ?? null;
      pages.push({ record, source, references: source ? referencesOf(source, snapshot.baseUrl) : [], view: record.published ? snapshot.published : snapshot.preview });
    }
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
  const found = await checkSnapshotInTurns(snapshot, await readContentFolder(snapshot, dir, options));
  return [...snapshot.diagnostics, ...found].sort(byFileAndPosition);
}

/**
 * {@link diagnoseContent} computed once per snapshot (a snapshot never changes, and a new
 * version is a new snapshot), for services that answer many requests from one version.
 */
export function memoizeDiagnostics(dir: string): (snapshot: Snapshot) => Promise<readonly Diagnostic[]> {
  const computed = new WeakMap<Snapshot, Promise<readonly Diagnostic[]>>();
  const parsed = new Map<string, { text: string; source: PageSource }>();
  return (snapshot) => {
    let diagnostics = computed.get(snapshot);
    if (!diagnostics) {
      diagnostics = diagnoseContent(snapshot, dir, { parsed });
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
