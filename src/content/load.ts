import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { discoverContent } from './discover.ts';
import { readEntry, readSource, templateDocument, type PageEntry, type ReadEntry } from './entry.ts';
import { collectRedirects, rejectDuplicates } from './identity.ts';
import { createLinkResolver, type LinkContext, type LinkResolver } from './links.ts';
import type { ContentProblem } from '../model/problem.ts';
import { buildRecord, resolveActions } from './record.ts';
import { createWarmStartPack, createWorkCache } from './render-cache.ts';
import { rendererKey } from './renderer-key.ts';
import { linksStillResolve, type RenderContext, type RenderedPage } from './render-page.ts';
import { createRenderPool, type RenderPool } from './render-pool.ts';
import { createSafeFileReader, refusalProblem } from './safe-file.ts';
import type { SiteRules } from './site-rules.ts';
import { createSiteRulesSource } from './site-rules-loader.ts';
import type { ContentView } from '../model/content-view.ts';
import type { PageRecord } from '../model/page-record.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { buildView } from './view.ts';
import { contentLimits } from './limits.ts';
import { createTimeSlicer, forEachSliced } from './time-slice.ts';
import { byCodeUnits } from './order.ts';

export interface LoaderOptions {
  /** Folder for the on-disk cache (warm starts); null or absent keeps the cache in memory only. */
  cacheDir?: string | null;
  /** Most milliseconds one page may take to render (RENDER_TIMEOUT_MS, default 2,000). */
  renderTimeoutMs?: number;
  /** Keep a render worker running between loads, so live edits render at once (watch mode). */
  keepWorkerWarm?: boolean;
  /** Render workers at most (default: one per core). */
  renderThreads?: number;
}

/** Files read at once: enough to keep the disk busy, few enough that their parsing comes in slices. */
const READ_CONCURRENCY = 32;

/** Default of {@link LoaderOptions.renderTimeoutMs}. */
export const DEFAULT_RENDER_TIMEOUT_MS = 2000;

/** What reading one file gave, kept between loads so unchanged files are not read again. */
interface FileState {
  modified: number;
  size: number;
  /** The site rules the file was read under: a settings change re-reads every file. */
  rulesKey: string;
  /** Hash of the source text and the site rules: the key of everything derived from the file. */
  key: string;
  entry: PageEntry | null;
  problems: ContentProblem[];
  /** The file is or may be a draft (see {@link ReadEntry}): its problems are for preview only. */
  draft: boolean;
  /** The last version of the file that had no errors, served while the file is broken. */
  lastGood: { key: string; entry: PageEntry } | null;
}

type ParsedFile = ReadEntry;

/**
 * Loads a content folder into a {@link Snapshot}: discover → read → split front matter → parse
 * YAML → validate → render → index. Never throws on content: every problem becomes a diagnostic,
 * a page with errors is left out alone, and every good page is kept.
 */
export async function loadContent(dir: string, options: LoaderOptions = {}): Promise<Snapshot> {
  return createContentLoader(dir, options).load();
}

/**
 * A loader that remembers what it did: on each load only files whose size or modification time
 * changed are read again, and only pages whose source, site settings or links changed are
 * rendered again. A file that turns bad keeps its last good version served while its errors are
 * reported. Each load builds a whole new snapshot; nothing is mutated in place.
 */
export function createContentLoader(dir: string, options: LoaderOptions = {}) {
  const root = path.resolve(dir);
  const reader = createSafeFileReader(root);
  const files = new Map<string, FileState>();
  const parsedCache = createWorkCache<ParsedFile>();
  const renderCache = createWorkCache<RenderedPage>();
  // Which content hash each file had, by size and modification time: on a warm start a file whose
  // size and time are unchanged is not read again (as git's index does); any change re-reads it.
  const knownFiles = new Map<string, { modified: number; size: number; rulesKey: string; key: string }>();
  const fileIndex = {
    entries: () => [...files].filter(([, state]) => state.entry && state.key).map(([file, { modified, size, rulesKey, key }]) => [file, { modified, size, rulesKey, key }] as [string, unknown]),
    prime: (entries: Iterable<[string, unknown]>) => {
      for (const [file, known] of entries) knownFiles.set(file, known as { modified: number; size: number; rulesKey: string; key: string });
    },
  };
  const pack = options.cacheDir ? createWarmStartPack(options.cacheDir, root, rendererKey(), { files: fileIndex, parsed: parsedCache, renders: renderCache }) : null;
  let packRead = false;
  let packStale = false;
  /** Records by render key, with the link context they were resolved in: reused while both hold. */
  let records = new Map<string, { linkContextKey: string; published: boolean; identity: string; record: PageRecord }>();
  /** Render keys whose links were checked against a link context (no need to check again in it). */
  let linksChecked = new Map<string, string>();
  /** The link context `linksChecked` was last built in. */
  let linksCheckedIn = '';
  /** The files in path order, kept while no file is added or removed (sorting 10,000 paths each edit shows). */
  let sortedFiles: string[] | undefined;
  const setFile = (file: string, state: FileState) => {
    if (!files.has(file)) sortedFiles = undefined;
    files.set(file, state);
  };
  const deleteFile = (file: string) => {
    if (files.delete(file)) sortedFiles = undefined;
  };
  /** The link context of the last load, with its key and resolver. */
  let links: { context: LinkContext; key: string; resolver: LinkResolver } | undefined;
  /** The render context of the last load, with what it was made for (kept while they hold, so workers keep theirs). */
  let renderContext: { rulesKey: string; linkContext: LinkContext; context: RenderContext } | undefined;
  /** Pages that failed to render (deadline, depth, crash), by render key: not tried again while unchanged. */
  let failures = new Map<string, ContentProblem>();
  let lastRulesKey = '';
  /** Render workers, kept across loads: they also read the site's own files. */
  const pool: RenderPool = createRenderPool({
    root,
    timeoutMs: options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS,
    keepWarm: options.keepWorkerWarm ? 1 : 0,
    threads: options.renderThreads,
  });
  const currentRules = createSiteRulesSource(reader, () => pool.readSite());

  /**
   * Brings the snapshot up to date. `changed` (file paths relative to the folder, from a watcher)
   * limits the work to those files; without it (or when the site settings changed) every file
   * is checked.
   */
  async function load(changed?: readonly string[]): Promise<Snapshot> {
    const started = performance.now();
    // A folder that is gone or unreadable (an unmounted volume) is a failed load, not an empty
    // site: the last good version stays served.
    const folder = await stat(root).catch((error: NodeJS.ErrnoException) => error);
    if (folder instanceof Error || !folder.isDirectory()) {
      throw new ContentFolderUnavailable(folder instanceof Error ? folder.code ?? 'unreadable' : 'not a folder');
    }
    // The parsed files are needed at once; the renders (the large part) are read while the
    // sources are read and hashed, and awaited before the first render lookup.
    let rendersRead: Promise<void> = Promise.resolve();
    if (pack && !packRead) {
      packRead = true;
      await pack.read('parsed');
      await pack.read('files');
      rendersRead = pack.read('renders');
      for (const [file, known] of knownFiles) {
        const parsed = parsedCache.peek(known.key);
        const entry = parsed?.entry ? { ...parsed.entry, modified: known.modified } : null;
        if (parsed && entry) setFile(file, { ...known, entry, problems: parsed.problems, draft: parsed.draft ?? !entry.published, lastGood: { key: known.key, entry } });
      }
      knownFiles.clear();
    }
    const { rules, sources: siteSources, key: siteKey } = await currentRules();
    const rulesKey = hash(await rendererKey(), rules.fingerprint);
    const diagnostics: Diagnostic[] = [...rules.diagnostics];
    const report = (file: string, problems: ContentProblem[]) => diagnostics.push(...problems.map((p) => ({ file, ...p })));

    // A watcher names the files it saw change (a rename names both the old and the new file); any
    // other load lists the whole folder, which also catches files removed behind our back.
    const incremental = changed !== undefined && rulesKey === lastRulesKey;
    lastRulesKey = rulesKey;
    let paths: string[];
    if (incremental) {
      paths = [...new Set(changed)].filter((file) => rules.isContentFile(file) || files.has(file));
    } else {
      paths = await discoverContent(root, rules.isContentFile);
      const present = new Set(paths);
      for (const file of files.keys()) if (!present.has(file)) deleteFile(file);
    }
    // Files are read a few dozen at a time and the event loop gets control between slices:
    // reading a whole folder at once would parse thousands of front matters back to back.
    let read = 0;
    await forEachSliced(paths, READ_CONCURRENCY, async (file) => {
      if (await refresh(file, rules, rulesKey)) read += 1;
    });
    const slice = createTimeSlicer();

    const entries: PageEntry[] = [];
    // What the versions are made of, hashed in one call each at the end (one call per page is
    // slower): the public version of published pages alone (a draft-only edit changes nothing
    // public), the preview version of every page.
    const versionParts = [rulesKey];
    const previewVersionParts = [rulesKey];
    const privateFiles = new Set<string>();
    sortedFiles ??= [...files.keys()].sort();
    for (const file of sortedFiles) {
      await slice();
      const state = files.get(file)!;
      if (state.draft) privateFiles.add(file);
      if (state.problems.length > 0) report(file, state.problems);
      const served = state.entry ? { key: state.key, entry: state.entry } : state.lastGood;
      if (served && state.lastGood && !state.entry) {
        report(file, [{
          code: 'serving-last-good', severity: 'warning', line: 1, column: 1, field: null,
          message: 'this file has errors, so its last good version is still served',
          hint: 'Fix the errors above; the page updates as soon as the file is valid again.',
        }]);
      }
      if (!served) continue;
      if (served.entry.published) versionParts.push(file, served.key);
      previewVersionParts.push(file, served.key);
      entries.push(served.entry);
    }

    const stubs = entries.filter((entry) => entry.redirectTo !== null);
    const accepted = rejectDuplicates(entries.filter((entry) => entry.redirectTo === null), report);
    const published = accepted.filter((entry) => entry.published);
    const redirects = collectRedirects(published, stubs.filter((stub) => stub.published), report);
    // When no page was added, removed or moved, every link resolves as before: the link context,
    // its resolver and its key (nothing to re-check) are kept from the last load.
    if (!links || !linksUnchanged(links.context, published, redirects, rules.baseUrl)) {
      const linkContext: LinkContext = {
        pages: published.map(({ file, slug, permalink }) => ({ file, slug, permalink })),
        redirects: [...redirects],
        baseUrl: rules.baseUrl,
      };
      links = { context: linkContext, key: hash(JSON.stringify(linkContext)), resolver: createLinkResolver(linkContext) };
    }
    const { context: linkContext, key: linkContextKey, resolver } = links;
    // Only sites with templates (Jekyll) need every page as a template document.
    const documents = rules.createTemplating ? published.map(templateDocument) : [];
    let documentsKey: string | undefined;
    // The render context is kept too (workers keep theirs), unless templates see the other pages (which may have changed).
    if (renderContext?.rulesKey !== rulesKey || renderContext.linkContext !== linkContext || documents.length > 0) {
      renderContext = { rulesKey, linkContext, context: { ...linkContext, documents } };
    }
    const { context } = renderContext;

    await rendersRead;
    // Reuse every render whose inputs and links are unchanged; render the rest (in workers when many).
    // Per-entry state is kept in arrays by position in `accepted` (cheaper than maps at 10,000 pages).
    const renderKeys = accepted.map((entry) => {
      const state = files.get(entry.file)!;
      const key = state.entry === entry ? state.key : state.lastGood!.key;
      if (!rules.templateDependsOnSite?.(entry.body)) return key;
      documentsKey ??= hash(JSON.stringify(documents));
      return hash(key, documentsKey);
    });
    const rendered: (RenderedPage | undefined)[] = new Array(accepted.length);
    const staleAt: number[] = [];
    const nextFailures = new Map<string, ContentProblem>();
    // In an unchanged link context, the links-checked marks carry over; otherwise they start again.
    const nextLinksChecked = links.key === linksCheckedIn ? linksChecked : new Map<string, string>();
    for (const [index, entry] of accepted.entries()) {
      await slice();
      const key = renderKeys[index];
      const cached = renderCache.peek(key);
      if (cached && (linksChecked.get(key) === linkContextKey || linksStillResolve(cached, entry, resolver))) {
        rendered[index] = cached;
        nextLinksChecked.set(key, linkContextKey);
      } else if (failures.has(key)) {
        // Failed before with these very inputs: report it again rather than spend another deadline on it.
        nextFailures.set(key, failures.get(key)!);
      } else {
        staleAt.push(index);
      }
    }
    const stale = staleAt.map((index) => accepted[index]);
    const outcomes = stale.length > 0 ? await pool.render({ site: siteSources, siteKey, context }, stale) : [];
    staleAt.forEach((index, at) => {
      const outcome = outcomes[at];
      const entry = accepted[index];
      if (outcome.ok) {
        rendered[index] = outcome.rendered;
        renderCache.set(renderKeys[index], outcome.rendered);
        nextLinksChecked.set(renderKeys[index], linkContextKey);
      } else {
        nextFailures.set(renderKeys[index], outcome.problem);
      }
    });
    failures = nextFailures;
    for (const [index, entry] of accepted.entries()) {
      const problem = rendered[index] ? undefined : failures.get(renderKeys[index]);
      if (problem) report(entry.file, [problem]);
    }

    const pageRecords: PageRecord[] = [];
    const liveRecords = new Map<string, { linkContextKey: string; published: boolean; identity: string; record: PageRecord }>();
    for (const [index, entry] of accepted.entries()) {
      await slice();
      const page = rendered[index];
      if (!page) continue;
      if (page.problems.length > 0) report(entry.file, page.problems);
      const key = renderKeys[index];
      let live = records.get(key);
      if (!live || live.linkContextKey !== linkContextKey || live.published !== entry.published || live.record.page.html !== page.html) {
        const actions = resolveActions(entry, resolver);
        const identity = hash(key, JSON.stringify(page.links), JSON.stringify(actions), String(entry.published));
        live = { linkContextKey, published: entry.published, identity, record: buildRecord(entry, page, actions, identity) };
      }
      liveRecords.set(key, live);
      pageRecords.push(live.record);
      if (live.published) versionParts.push(live.identity);
      previewVersionParts.push(live.identity);
    }
    records = liveRecords;
    const drafts = pageRecords.some((record) => !record.published);
    const publishedView = buildView(drafts ? pageRecords.filter((record) => record.published) : pageRecords, redirects, 'published');
    let preview: ContentView | undefined;
    linksChecked = nextLinksChecked;
    linksCheckedIn = links.key;
    // Files left unchanged were not looked up in the parsed cache this time, but are still current.
    parsedCache.sweep(Array.from(files.values(), (state) => state.key));
    renderCache.sweep();
    // A cold start saves its work at once (in the background); live edits are saved on shutdown.
    if (stale.length > 0) packStale = true;
    if (pack && packStale && !changed) {
      packStale = false;
      void pack.write();
    }

    return {
      version: hashAll(versionParts).slice(0, 16),
      previewVersion: hashAll(previewVersionParts).slice(0, 16),
      loadedAt: new Date(),
      loadMs: Math.round(performance.now() - started),
      read,
      rendered: stale.length,
      published: publishedView,
      pages: pageRecords,
      // Previews are rare: their view is built by the first one, or is the published view when there are no drafts.
      get preview() {
        return (preview ??= drafts ? buildView(pageRecords, redirects, 'preview') : publishedView);
      },
      diagnostics: diagnostics.sort(byFileAndLine),
      privateFiles,
      baseUrl: rules.baseUrl,
      site: rules.settings,
      feed: rules.feed,
      data: rules.data,
    };
  }

  /** Re-reads one file if it changed (or forgets it if it is gone); true if it was read. */
  async function refresh(file: string, rules: SiteRules, rulesKey: string): Promise<boolean> {
    const previous = files.get(file);
    // Every file is looked at through the safe reader: a symlink out of the folder, a FIFO or a
    // device is reported and skipped (never served, not even its last good version).
    const info = await reader.look(file);
    if (!info.ok) {
      if (info.reason === 'missing') deleteFile(file);
      else setFile(file, { modified: info.modified ?? 0, size: info.size ?? 0, rulesKey, key: '', entry: null, problems: [refusalProblem(info.reason, contentLimits.maxFileBytes, info.size)], draft: true, lastGood: null });
      return false;
    }
    if (previous && previous.key && previous.modified === info.modified && previous.size === info.size && previous.rulesKey === rulesKey) return false;
    const source = await readSource(reader, file);
    if (!source) {
      deleteFile(file);
      return false;
    }
    if ('problem' in source) {
      // A file that cannot be read may be a draft: its problem is for preview only.
      const refused = source.problem.code === 'symlink-outside' || source.problem.code === 'not-a-regular-file';
      setFile(file, { modified: source.modified, size: source.size, rulesKey, key: '', entry: null, problems: [source.problem], draft: true, lastGood: refused ? null : previous?.lastGood ?? null });
      return true;
    }
    const key = hash(rulesKey, file, source.text);
    let parsed = parsedCache.peek(key);
    if (!parsed) {
      parsed = readEntry(rules, file, source.text, source.modified);
      parsedCache.set(key, parsed);
    }
    // The cached entry may come from an identical file read earlier: keep this file's own date.
    const entry = parsed.entry ? { ...parsed.entry, modified: source.modified } : null;
    setFile(file, {
      modified: source.modified,
      size: source.size,
      key,
      rulesKey,
      entry,
      problems: parsed.problems,
      draft: parsed.draft,
      lastGood: entry ? { key, entry } : previous?.lastGood ?? null,
    });
    return true;
  }

  /** Saves the warm-start pack if anything was rendered since it was last saved (shutdown). */
  async function flush(): Promise<void> {
    if (pack && packStale) {
      packStale = false;
      await pack.write();
    }
    await pack?.settled();
  }

  /** Saves the warm-start pack (see flush) and stops the render workers. */
  async function close(): Promise<void> {
    await flush();
    await pool.close();
  }

  return { load, flush, close };
}

export type ContentLoader = ReturnType<typeof createContentLoader>;

/** The content folder cannot be listed: gone, unmounted, not a folder or not readable. The message names no path. */
export class ContentFolderUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`the content folder cannot be read (${reason})`);
    this.name = 'ContentFolderUnavailable';
  }
}

/** The snapshot served before the first load completes: no pages, no problems (content routes answer 503 then). */
export function emptySnapshot(): Snapshot {
  const view = buildView([], new Map(), 'published');
  return {
    version: '',
    previewVersion: '',
    privateFiles: new Set(),
    loadedAt: new Date(0),
    loadMs: 0,
    read: 0,
    rendered: 0,
    published: view,
    preview: view,
    pages: [],
    diagnostics: [],
    baseUrl: '',
    site: null,
    feed: null,
    data: {},
  };
}

/** Whether the published pages and redirects are those a link context was made of. */
function linksUnchanged(context: LinkContext, published: PageEntry[], redirects: ReadonlyMap<string, string>, baseUrl: string): boolean {
  if (context.baseUrl !== baseUrl || context.pages.length !== published.length || context.redirects.length !== redirects.size) return false;
  const samePages = published.every((entry, index) => {
    const page = context.pages[index];
    return page.file === entry.file && page.slug === entry.slug && page.permalink === entry.permalink;
  });
  if (!samePages) return false;
  let index = 0;
  for (const [from, to] of redirects) {
    const [wasFrom, wasTo] = context.redirects[index++];
    if (from !== wasFrom || to !== wasTo) return false;
  }
  return true;
}

function hash(...parts: string[]): string {
  return hashAll(parts);
}

/** sha256 of the parts, each ended by a NUL; one update call (a call per part costs more). */
function hashAll(parts: string[]): string {
  return createHash('sha256').update(`${parts.join('\0')}\0`).digest('hex');
}

function byFileAndLine(a: Diagnostic, b: Diagnostic): number {
  return byCodeUnits(a.file, b.file) || a.line - b.line || a.column - b.column;
}
