import path from 'node:path';
import { createAssetIndexer, type AssetIndex } from '../../assets/asset-index.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { ContentProblem } from '../../model/problem.ts';
import type { BodyStore } from '../../model/representation.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import type { PageEntry, ReadEntry } from '../entry.ts';
import type { LinkContext, LinkResolver } from '../links.ts';
import { createWarmStartPack, createWorkCache } from '../render-cache.ts';
import type { RenderContext } from '../render-page.ts';
import { withOwnBody, type RenderedPage } from '../rendered-page.ts';
import { createRenderPool, type RenderPool } from '../render-pool.ts';
import { rendererKey } from '../renderer-key.ts';
import { createSafeFileReader, type SafeFileReader } from '../safe-file.ts';
import type { SiteRules } from '../site-rules.ts';
import { createSiteRulesSource } from '../site-rules-loader.ts';
import { hash } from './hash.ts';
import type { LastLoad, ListingEdit, LiveRecord, LoadRun, Selection } from './types.ts';

export type { LastLoad, LiveRecord, LoadRun } from './types.ts';

export interface LoaderOptions {
  /** Folder for the on-disk cache (warm starts); null or absent keeps the cache in memory only. */
  cacheDir?: string | null;
  /** Most milliseconds one page may take to render (RENDER_TIMEOUT_MS, default 2,000). */
  renderTimeoutMs?: number;
  /** How much a busy machine stretches render deadlines (default: from the load average; see createRenderPool). */
  renderContention?: () => number;
  /** Keep a render worker running between loads, so live edits render at once (watch mode). */
  keepWorkerWarm?: boolean;
  /** Most text of page bodies a load keeps for its renders (default {@link KEPT_BODIES_LENGTH}). */
  keptBodiesLength?: number;
  /** Milliseconds without a load after which that worker is stopped (default 10 minutes; see WARM_IDLE_MS). */
  warmWorkerIdleMs?: number;
  /** Render workers at most (default: one per core). */
  renderThreads?: number;
  /** Hosts whose embeds (iframes) are kept besides YouTube and Vimeo (EMBED_HOSTS). */
  embedHosts?: readonly string[];
  /** The API's public URL (PUBLIC_URL): asset URLs in pages are absolute under it; unset, root-relative. */
  publicUrl?: string;
  /** Where page bodies are kept (see createBodyStore); absent, each page keeps its own. */
  bodies?: BodyStore;
  /**
   * Called during a first load that renders pages, with its listing (see listing.ts): every
   * page it will serve, listed while the pages are rendered.
   */
  onListed?: (listing: Snapshot) => void;
}

/** Default of {@link LoaderOptions.renderTimeoutMs}. */
export const DEFAULT_RENDER_TIMEOUT_MS = 2000;

/** What reading one file gave, kept between loads so unchanged files are not read again. */
export interface FileState {
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

/** What a file's size and modification time said its content hash was (the warm-start file index). */
export interface KnownFile {
  modified: number;
  size: number;
  rulesKey: string;
  key: string;
}

/**
 * Everything a loader keeps from one load to the next: what each file gave, the caches, the
 * records, the link and render contexts and the render workers. The stages of a load read and
 * replace its fields; nothing else holds on to them.
 */
export interface LoaderState {
  root: string;
  reader: SafeFileReader;
  files: Map<string, FileState>;
  /** The files in path order, kept while no file is added or removed (sorting 10,000 paths each edit shows). */
  sortedFiles: string[] | undefined;
  parsedCache: ReturnType<typeof createWorkCache<ReadEntry>>;
  renderCache: ReturnType<typeof createWorkCache<RenderedPage>>;
  /**
   * Which content hash each file had, by size and modification time: on a warm start a file whose
   * size and time are unchanged is not read again (as git's index does); any change re-reads it.
   */
  knownFiles: Map<string, KnownFile>;
  pack: ReturnType<typeof createWarmStartPack> | null;
  packRead: boolean;
  packStale: boolean;
  /** Records by render key, with the file version and link context they were made from: reused while all hold. */
  records: Map<string, LiveRecord>;
  /** Render keys whose links were checked against a link context (no need to check again in it). */
  linksChecked: Map<string, string>;
  /** The link context `linksChecked` was last built in. */
  linksCheckedIn: string;
  /** The link context of the last load, with its key and resolver. */
  links: { context: LinkContext; key: string; resolver: LinkResolver } | undefined;
  /** The render context of the last load, with what it was made for (kept while they hold, so workers keep theirs). */
  renderContext: { rulesKey: string; linkContext: LinkContext; context: RenderContext } | undefined;
  /** Pages that failed to render (deadline, depth, crash), by render key: not tried again while unchanged. */
  failures: Map<string, ContentProblem>;
  /** Folders inside the content folder the last whole listing could not list, with the error's code (see discoverContent). */
  unlistedFolders: ReadonlyMap<string, string>;
  lastRulesKey: string;
  /** Render workers, kept across loads: they also read the site's own files. */
  pool: RenderPool;
  currentRules: ReturnType<typeof createSiteRulesSource>;
  /** EMBED_HOSTS, as the render context carries them. */
  embedHosts: string[];
  /** PUBLIC_URL ('' when unset). */
  publicUrl: string;
  /** The site's static files with image sizes, looked at once per load. */
  indexAssets: () => Promise<AssetIndex>;
  /** The key of the asset index the link context was made with. */
  assetsKey: string;
  /** Where the pages' serialized HTTP bodies (JSON, HTML and their compressed variants) are kept, when not by each page. */
  bodies: BodyStore | undefined;
  /**
   * The markdown bodies of the files read by the load under way, by content key, within a budget:
   * what its renders need. Emptied when it is published; a later render, or one past the budget,
   * reads its file again (see sourcesOf).
   */
  sourceBodies: KeptBodies;
  /** What the last load served, for a live edit to patch (see patch.ts); undefined before the first load. */
  last: LastLoad | undefined;
  /**
   * The records of a resumed start (see resume.ts) by file, with their identities, until the load
   * after it: a record it makes with the same identity is the resumed one, given its inputs.
   */
  resumed: Map<string, { identity: string; record: PageRecord }> | undefined;
  /**
   * The listing of the first load under way (see listing.ts), with what it was made under and
   * from: what a shutdown before that load ends saves for the next start. Undefined once a load
   * is published, or failed. `edits` are the live edits applied to it meanwhile, by file (see
   * edit-listing.ts): served on top of it, never saved with it; `documentsKey` the hash of the
   * template documents its edits' render keys take (see renderKeyOf), once one needed it.
   */
  listing: { run: LoadRun; selection: Selection; snapshot: Snapshot; edits?: Map<string, ListingEdit>; documentsKey?: string } | undefined;
  /**
   * After a start that resumed a listing (see resume.ts): hands the first load's own listing, or
   * its snapshot, or nothing if it failed, to the pages of the resumed listing, which take their
   * records from it.
   */
  follow: ((next: Snapshot | undefined) => void) | undefined;
  /** The loads running: background work of the loader (the warm-start pack's write) waits for them. */
  gate: LoadGate;
}

/**
 * Counts the loads running, so that background work waits while loads come: a live edit saved
 * just after a load (an author's saves come in bursts) is not served behind it. The loader's own
 * (writing the warm-start pack after a load that rendered pages: about a second of serializing at
 * 10,000 pages, in chunks of 10–35 ms) waits on its loads; the service's (compression, search
 * indexing, content checks: see nextTurn in the content plugin) on the loads it runs or queues.
 */
export class LoadGate {
  #running = 0;
  #closed = false;
  #lastEnded = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(private readonly quietMs: number) {}

  enter(): void {
    if (this.#running++ > 0) return;
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    this.#idle = { promise, resolve };
  }

  leave(): void {
    if (--this.#running > 0) return;
    this.#lastEnded = performance.now();
    this.#open();
  }

  /** Whether no load has run for `quietMs`, or the gate is closed. */
  isQuiet(): boolean {
    return this.#closed || (!this.#idle && performance.now() - this.#lastEnded >= this.quietMs);
  }

  /** Resolves once no load has run for `quietMs` (at once while that holds, or once the loader closes). */
  async quiet(): Promise<void> {
    while (!this.isQuiet()) {
      if (this.#idle) await this.#idle.promise;
      else await new Promise((resolve) => setTimeout(resolve, this.#lastEnded + this.quietMs - performance.now()).unref());
    }
  }

  /** The loader is closing: nothing waits for loads any more (its last save must not wait for a load the shutdown stops). */
  close(): void {
    this.#closed = true;
    this.#open();
  }

  #open(): void {
    this.#idle?.resolve();
    this.#idle = undefined;
  }
}

/**
 * Milliseconds background work waits after a load before it resumes (the loader's, see LoadGate,
 * and the service's, see nextTurn in the content plugin): an author's saves come in bursts, and
 * each should find the service's cores free, not busy with the version before.
 */
export const QUIET_AFTER_LOAD_MS = 300;

/** The loader's state before its first load. */
export function createLoaderState(dir: string, options: LoaderOptions): LoaderState {
  const root = path.resolve(dir);
  const reader = createSafeFileReader(root);
  const parsedCache = createWorkCache<ReadEntry>();
  const renderCache = createWorkCache<RenderedPage>();
  const pool = createRenderPool({
    root,
    timeoutMs: options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS,
    keepWarm: options.keepWorkerWarm ? 1 : 0,
    warmIdleMs: options.warmWorkerIdleMs,
    threads: options.renderThreads,
    contention: options.renderContention,
  });
  const state: LoaderState = {
    root,
    reader,
    files: new Map(),
    sortedFiles: undefined,
    parsedCache,
    renderCache,
    knownFiles: new Map(),
    pack: null,
    packRead: false,
    packStale: false,
    records: new Map(),
    linksChecked: new Map(),
    linksCheckedIn: '',
    links: undefined,
    renderContext: undefined,
    failures: new Map(),
    unlistedFolders: new Map(),
    lastRulesKey: '',
    pool,
    currentRules: createSiteRulesSource(reader, () => pool.readSite()),
    embedHosts: [...(options.embedHosts ?? [])],
    publicUrl: options.publicUrl ?? '',
    indexAssets: createAssetIndexer(reader),
    assetsKey: '',
    bodies: options.bodies,
    sourceBodies: new KeptBodies(options.keptBodiesLength ?? KEPT_BODIES_LENGTH),
    last: undefined,
    resumed: undefined,
    listing: undefined,
    follow: undefined,
    gate: new LoadGate(QUIET_AFTER_LOAD_MS),
  };
  const fileIndex = {
    entries: () => [...state.files].filter(([, file]) => file.entry && file.key).map(([file, { modified, size, rulesKey, key }]) => [file, { modified, size, rulesKey, key }] as [string, unknown]),
    prime: (entries: readonly (readonly [string, unknown])[]) => {
      for (let at = 0; at < entries.length; at++) state.knownFiles.set(entries[at][0], entries[at][1] as KnownFile);
    },
  };
  // Which renders' links were checked in which link context: a link context is named by the hash
  // of everything links resolve against, so a warm start with the same pages checks none again.
  const linksIndex = {
    entries: () => [...state.linksChecked] as [string, unknown][],
    prime: (entries: readonly (readonly [string, unknown])[]) => {
      for (let at = 0; at < entries.length; at++) {
        const linkContextKey = entries[at][1];
        if (typeof linkContextKey === 'string') state.linksChecked.set(entries[at][0], linkContextKey);
      }
    },
  };
  state.pack = options.cacheDir
    ? createWarmStartPack(options.cacheDir, root, rendererKey(), {
        files: fileIndex,
        parsed: parsedCache,
        renders: { entries: () => renderCache.entries(), prime: (entries) => renderCache.prime(entries.map((entry) => [entry[0], withOwnBody(entry[1] as RenderedPage)])) },
        links: linksIndex,
      })
    : null;
  return state;
}

/**
 * The key of everything a page's parse and render depend on besides its own file: the renderer's
 * code, the site's rules and the embed hosts, which shape rendered HTML as the code does (a
 * change renders every page again).
 */
export async function rulesKeyOf(state: LoaderState, rules: SiteRules): Promise<string> {
  return hash(await rendererKey(), rules.fingerprint, state.embedHosts.join(','));
}

/**
 * The text (UTF-16 code units) of the page bodies a load keeps for its renders. A live edit's
 * pages render from what it read; a load past it (a first start at thousands of pages) has the
 * render workers read the rest from their files as they render them (see RenderSource), rather
 * than the main thread holding the site's text while the pages render.
 */
export const KEPT_BODIES_LENGTH = 4 * 1024 * 1024;

/** Page bodies by content key, up to a total length: one past it is not kept. */
export class KeptBodies {
  private readonly bodies = new Map<string, string>();
  private length = 0;

  constructor(private readonly maxLength: number) {}

  keep(key: string, body: string): void {
    if (this.bodies.has(key) || this.length + body.length > this.maxLength) return;
    this.bodies.set(key, body);
    this.length += body.length;
  }

  get(key: string): string | undefined {
    return this.bodies.get(key);
  }

  clear(): void {
    this.bodies.clear();
    this.length = 0;
  }
}

export function setFile(state: LoaderState, file: string, fileState: FileState): void {
  if (!state.files.has(file)) state.sortedFiles = undefined;
  state.files.set(file, fileState);
}

export function deleteFile(state: LoaderState, file: string): void {
  if (state.files.delete(file)) state.sortedFiles = undefined;
}

export type { Slice } from '../time-slice.ts';

/** Adds a file's problems to the load's diagnostics. */
export function report(run: LoadRun, file: string, problems: ContentProblem[]): void {
  run.diagnostics.push(...problems.map((p) => ({ file, ...p })));
}
