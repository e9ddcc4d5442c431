import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createBodyStore } from '../content/body-store.ts';
import { ContentFolderUnavailable, createContentLoader, emptySnapshot, LoadGate, QUIET_AFTER_LOAD_MS } from '../content/load.ts';
import { problemOf, sendProblem } from '../http/problem.ts';
import type { ContentView } from '../model/content-view.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { createTurnTaker } from '../content/time-slice.ts';
import { watchContent } from '../content/watch.ts';

/** A new content version, as announced to listeners (SSE, logs). */
export interface ContentUpdate {
  /** The public version: unchanged by a draft-only edit (then only preview listeners hear of it). */
  version: string;
  previousVersion: string;
  /** What preview sees, drafts included. */
  previewVersion: string;
  previousPreviewVersion: string;
  /** Slugs whose page was added, changed or removed, drafts included: for preview listeners. */
  changedSlugs: string[];
  /**
   * Of those, the slugs public clients can see change: published before or after (a page
   * published, changed, unpublished or removed). What /v1/events tells readers and what the
   * webhooks post, computed on first use and once for both.
   */
  publicChangedSlugs(): string[];
  snapshot: Snapshot;
}

/** Whether content is being served, and whether the folder can still be read. */
export interface ContentStatus {
  /** `starting` until the first version is served; `degraded` while reloads fail (the last good version is still served). */
  state: 'starting' | 'ok' | 'degraded';
  /** Why the last load failed (never a path of the machine), and since when loads have been failing. */
  failure: { detail: string; since: Date } | null;
  /** While `starting`: the published pages a first load listed and is rendering (see config.listed), else null. */
  readonly listed: number | null;
}

/** The content the service answers from; the snapshot is replaced whole, never edited. */
export interface ContentStore {
  readonly snapshot: Snapshot;
  readonly status: ContentStatus;
  /** Resolves when the first content version is served. */
  loaded: Promise<void>;
  /**
   * Resolves when content is first answered, saying with what: a first load's listing (see
   * config.listed), a listing a shutdown saved (see resume.ts), or the first version.
   */
  answering: Promise<'listing' | 'resumed listing' | 'version'>;
  /**
   * Waits for the first content version as a content request waits for it before it is served
   * (a few seconds at most, with the other waiting requests: see the onRequest hook), for a
   * request that began on a first load's listing and cannot be answered from it. Whether the
   * first version is served now; false also when too many requests wait already.
   */
  firstVersion(): Promise<boolean>;
  /** The view a request may see: drafts only with a valid preview token. */
  viewFor(request: FastifyRequest): ContentView;
  /**
   * Brings the snapshot up to date with the folder (only `changed` files, when given) and swaps
   * it in one assignment, so no request ever sees half an update.
   */
  reload(changed?: string[]): Promise<Snapshot>;
  /** Resolves when the folder is being watched (immediately when watching is off). */
  watching: Promise<void>;
  /** Calls `listener` after every swap to a new version; returns the unsubscribe function. */
  onUpdate(listener: (update: ContentUpdate) => void): () => void;
  /**
   * Calls `listener` when a live edit is served from a first load's listing (see editListing in
   * load.ts), and when the first version replaces a listing so edited: what was answered from the
   * listing before may not be what is served now (a cache in front of the routes forgets it).
   * Neither is a new version: no update is announced. Returns the unsubscribe function.
   */
  onListingEdit(listener: () => void): () => void;
  /**
   * Gives the event loop a turn, then waits while a load runs or waits to run (and a moment
   * after), and while the warm-start pack is written: background work (compression, search
   * indexing, content checks) calls it between slices, so a live edit never queues behind it,
   * and what a cold start rendered is on disk before anything else is done. Its callers go on one
   * a turn: a turn holds one slice of background work, whatever the number of lanes.
   */
  nextTurn(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    content: ContentStore;
  }
  interface FastifyContextConfig {
    /**
     * The route answers from a first load's listing, before the first version is served (for
     * every request, or those the function says): it waits itself for the renders it needs (see
     * src/content/listed-page.ts). Other content routes wait for the first version.
     */
    listed?: boolean | ((request: FastifyRequest) => boolean);
  }
}

export interface ContentPluginOptions {
  contentDir: string;
  /** Watch the folder and apply changes as they happen (development); off in production. */
  watch?: boolean;
  /** On-disk render cache folder for fast warm starts; null keeps it in memory only. */
  cacheDir?: string | null;
  /** Most milliseconds one page may take to render (RENDER_TIMEOUT_MS). */
  renderTimeoutMs?: number;
  /** Hosts whose embeds are kept besides YouTube and Vimeo (EMBED_HOSTS). */
  embedHosts?: string[];
  /** The API's public URL (PUBLIC_URL): asset URLs in pages are absolute under it. */
  publicUrl?: string;
  /** Bytes of page bodies kept in memory (see createBodyStore); absent, each page keeps its own. */
  bodyCacheMaxBytes?: number;
  /**
   * Load the content after the server is ready instead of before (server.ts): the server listens
   * at once, `/health` answers, and content routes answer 503 until the first version is served.
   */
  loadInBackground?: boolean;
  /** Milliseconds a content request waits for the first version before 503 (default 20,000: under the request timeout). */
  startupWaitMs?: number;
}

/** A load waiting for its turn (see queueLoad in the content plugin). */
interface QueuedLoad {
  /** The files it loads (a load of changes), joined by the changes that come before it begins. */
  files: Set<string>;
  started: boolean;
  /** Live edits of its files served from a first load's listing before it began. */
  listingEdits: number;
}

/** Paths that answer before content is loaded: liveness, readiness, the API's own description. */
const ANSWERS_WITHOUT_CONTENT = /^\/(?:health|ready|docs|openapi\.json)(?:[/?]|$)/;
/** Default milliseconds a content request waits for the first version before it is answered 503. */
const STARTUP_WAIT_MS = 20_000;
/** Requests that may wait for the first version at once; more are answered 503 at once. */
const MAX_WAITING_REQUESTS = 1000;
/** Seconds a client is asked to wait (Retry-After) while content loads. */
const RETRY_AFTER_SECONDS = 1;
/** Milliseconds between attempts to reload while the folder cannot be read: from the first to the last. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** Loads the content folder before the server listens and decorates the instance with `content`. */
export default fp<ContentPluginOptions>(
  async (fastify, options) => {
    const bodies =
      options.bodyCacheMaxBytes === undefined
        ? undefined
        : createBodyStore({ memoryBytes: options.bodyCacheMaxBytes, dir: options.cacheDir, root: options.contentDir });
    const loader = createContentLoader(options.contentDir, {
      bodies,
      cacheDir: options.cacheDir,
      keepWorkerWarm: options.watch === true,
      renderTimeoutMs: options.renderTimeoutMs,
      embedHosts: options.embedHosts,
      publicUrl: options.publicUrl,
      onListed: (listed) => serveListing(listed, false),
    });
    /** Serves a first load's listing until the first version is (see config.listed): listed by the load, or resumed. */
    const serveListing = (listed: Snapshot, resumed: boolean) => {
      if (status.state !== 'starting') return;
      listing = listed;
      listingResumed = resumed;
      fastify.log.info(
        {
          pages: listed.published.pages.length,
          drafts: listed.pages.length - listed.published.pages.length,
          durationMs: listed.loadMs,
          resumed,
        },
        'content listed',
      );
      markListed();
    };
    let snapshot = emptySnapshot();
    // A first load's listing (see src/content/load/listing.ts): served to the routes that answer
    // from it (config.listed) until the first version is.
    let listing: Snapshot | undefined;
    let listingResumed = false;
    let markListed!: () => void;
    const listed = new Promise<void>((resolve) => (markListed = resolve));
    const status: ContentStatus = {
      state: 'starting',
      failure: null,
      get listed() {
        return listing ? listing.published.pages.length : null;
      },
    };
    const listeners = new Set<(update: ContentUpdate) => void>();
    // Loads run one at a time, in order: the swap always installs the newest state of the folder.
    let queue: Promise<unknown> = Promise.resolve();
    let markLoaded: () => void;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    let retryTimer: NodeJS.Timeout | undefined;
    let retryDelay = RETRY_FIRST_MS;
    let closing = false;
    // Loads running or queued: background work waits for them, and a moment after (see nextTurn).
    const loads = new LoadGate(QUIET_AFTER_LOAD_MS);
    const takeTurn = createTurnTaker();
    // Live edits served from a first load's listing (see editListing in load.ts) whose own reload
    // has yet to run, and the first version held for them meanwhile: it is served with the first
    // of them applied, never without them (a page would go back to its version before the edit).
    let listingEditsQueued = 0;
    let held: Snapshot | undefined;
    let listingEdited = false;
    const listingEditListeners = new Set<() => void>();
    /**
     * Tells each subscriber: one that throws is logged, and stops neither the others nor what
     * told them (a version installed, an edit served), nor the process.
     */
    const tell = <T>(subscribers: Iterable<(value: T) => void>, value: T) => {
      for (const listener of subscribers) {
        try {
          listener(value);
        } catch (error) {
          fastify.log.error({ err: error }, 'a content subscriber failed');
        }
      }
    };
    const listingChanged = () => tell(listingEditListeners, undefined);

    /**
     * Serves the snapshot saved at the last clean shutdown, or the listing saved by a shutdown
     * before the first load ended, if nothing it was made of changed (see resume.ts).
     */
    const resumeFirst = async () => {
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const resumed = await loader.resume().finally(() => loop.disable());
      if (!resumed || status.state !== 'starting') return;
      if (resumed.listing) return serveListing(resumed.snapshot, true);
      snapshot = resumed.snapshot;
      status.state = 'ok';
      logLoad(fastify.log, snapshot, Math.round(loop.max / 1e6), 'content resumed');
      markLoaded();
    };

    /** Serves the first content version: the listing served until now is let go. */
    const installFirst = (next: Snapshot) => {
      held = undefined;
      snapshot = next;
      status.state = 'ok';
      listing = undefined;
      if (listingEdited) listingChanged();
      markLoaded();
    };

    /** After a failed load, try again later (each wait twice the last) until the folder reads again. */
    const scheduleRetry = () => {
      if (retryTimer || closing) return;
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
        // A folder that came back is watched afresh (its old watches died with it).
        store.reload().then(
          () => watcher?.rescan(),
          () => undefined,
        );
      }, retryDelay);
      retryTimer.unref();
    };

    /** A load of changed files queued behind others, not begun yet: the changes that come meanwhile join it. */
    let waitingLoad: { load: QueuedLoad; run: Promise<Snapshot> } | undefined;

    /**
     * Queues a load (of the `changed` files only, when given): loads run one at a time, in order,
     * so the swap always installs the newest state of the folder. A change that comes while a
     * load of changes waits for its turn joins it. While a first load renders, a live edit is
     * served from its listing as soon as it is rendered (see editListing in load.ts); its own load
     * applies it once the first is done. `shown` resolves once the change is served, either way.
     */
    function queueLoad(changed?: readonly string[]): { run: Promise<Snapshot>; shown: Promise<unknown> } {
      let queued = changed ? waitingLoad : undefined;
      if (queued) {
        for (const file of changed!) queued.load.files.add(file);
      } else {
        loads.enter();
        const load: QueuedLoad = { files: new Set(changed), started: false, listingEdits: 0 };
        const run = queue.then(() => {
          load.started = true;
          if (waitingLoad?.load === load) waitingLoad = undefined;
          listingEditsQueued -= load.listingEdits;
          return runLoad(changed && [...load.files]);
        });
        queue = run.catch(() => undefined);
        void queue.then(() => loads.leave());
        queued = { load, run };
        if (changed) waitingLoad = queued;
      }
      const { load, run } = queued;
      if (!changed || status.state !== 'starting' || !listing) return { run, shown: run };
      const served = editListing(changed, load);
      const shown = new Promise((resolve) => {
        run.then(resolve, resolve);
        // An edit the listing could not take (even by a fault of ours) waits for its load.
        served.then(
          (done) => done && resolve(undefined),
          (error: Error) => fastify.log.warn({ err: error }, 'a live edit could not be served from the listing; it waits for its load'),
        );
      });
      return { run, shown };
    }

    /** Serves a live edit from the first load's listing, if it can be (see editListing in load.ts); whether it was. */
    async function editListing(changed: readonly string[], load: QueuedLoad): Promise<boolean> {
      const edited = await loader.editListing(changed);
      // Its load began meanwhile (the first version is served, or held for it): that load applies it.
      if (!edited || load.started || status.state !== 'starting' || !listing) return false;
      listing = edited;
      listingEdited = true;
      load.listingEdits += 1;
      listingEditsQueued += 1;
      listingChanged();
      return true;
    }

    /** One load, its outcome served (see queueLoad). */
    async function runLoad(changed: string[] | undefined): Promise<Snapshot> {
      // A start whose files are all as a clean shutdown left them serves that snapshot at once;
      // the load below then builds the loader's state behind it, and finds the same version.
      if (status.state === 'starting' && !changed) await resumeFirst();
      const previous = snapshot;
      let next: Snapshot;
      // How long the event loop was held at a time during the load: the main thread only
      // assembles results, so requests keep being answered (logged with each load).
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      try {
        next = await loader.load(changed);
      } catch (error) {
        // A first version held for a live edit that could not be applied is served as it is.
        if (held) installFirst(held);
        // A first load that failed after it listed its pages serves no page of that listing any more.
        if (status.state === 'starting') listing = undefined;
        // The last good version stays served; /health and /ready say what is wrong and since when.
        const detail = failureDetail(error as Error);
        if (!status.failure) status.failure = { detail, since: new Date() };
        else status.failure.detail = detail;
        if (status.state === 'ok') status.state = 'degraded';
        fastify.log.error({ reason: (error as Error).message }, 'content reload failed; the last good version is still served');
        scheduleRetry();
        throw error;
      } finally {
        loop.disable();
      }
      const loopDelayMaxMs = Math.round(loop.max / 1e6);
      if (status.failure) fastify.log.info('content folder readable again');
      status.failure = null;
      retryDelay = RETRY_FIRST_MS;
      const first = status.state === 'starting';
      // Serving again (after `degraded`); the first version is announced only once installed.
      if (!first) status.state = 'ok';
      if (!first && next.previewVersion === previous.previewVersion && sameDiagnostics(next, previous)) return previous;
      logLoad(fastify.log, next, loopDelayMaxMs, 'content loaded');
      if (first) {
        if (listingEditsQueued > 0) held = next;
        else installFirst(next);
        return next;
      }
      snapshot = next;
      status.state = 'ok';
      const slugs = changedSlugs(previous, next);
      let publicSlugs: string[] | undefined;
      const update: ContentUpdate = {
        version: next.version,
        previousVersion: previous.version,
        previewVersion: next.previewVersion,
        previousPreviewVersion: previous.previewVersion,
        changedSlugs: slugs,
        publicChangedSlugs: () =>
          (publicSlugs ??= slugs.filter((slug) => previous.published.bySlug.has(slug) || next.published.bySlug.has(slug))),
        snapshot: next,
      };
      tell(listeners, update);
      return next;
    }

    const store: ContentStore = {
      get snapshot() {
        return snapshot;
      },
      status,
      loaded,
      answering: Promise.race([
        loaded.then(() => 'version' as const),
        listed.then(() => (listingResumed ? ('resumed listing' as const) : ('listing' as const))),
      ]),
      firstVersion: () => waitFor(loaded).then(() => status.state !== 'starting'),
      viewFor: (request) => {
        const served = status.state === 'starting' && listing ? listing : snapshot;
        return request.preview ? served.preview : served.published;
      },
      reload: (changed) => queueLoad(changed).run,
      watching: Promise.resolve(),
      onUpdate(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onListingEdit(listener) {
        listingEditListeners.add(listener);
        return () => listingEditListeners.delete(listener);
      },
      async nextTurn() {
        for (;;) {
          // One lane of background work a turn of the event loop (see createTurnTaker).
          await takeTurn();
          if (loads.isQuiet()) break;
          await loads.quiet();
        }
        await loader.settled();
      },
    };
    let watcher: ReturnType<typeof watchContent> | undefined;
    if (options.watch) {
      // Failures are logged and reported by reload itself.
      watcher = watchContent(options.contentDir, (changed) => {
        // An author is editing: a render worker is kept warm for the next edits from now on.
        loader.expectEdits();
        // The watcher gathers the next changes once this one is served (from a first load's listing, or by its load).
        return queueLoad(changed).shown;
      });
      store.watching = watcher.ready;
      fastify.addHook('onClose', () => watcher!.close());
    }
    fastify.addHook('onClose', async () => {
      closing = true;
      loads.close();
      clearTimeout(retryTimer);
      await loader.close();
    });
    fastify.decorate('content', store);

    // Until the first version is served, a content request waits for it a few seconds (a restart
    // of a small site is not an error for anyone), and is then answered 503 with Retry-After
    // (never an empty list that a cache could keep). A route that answers from a first load's
    // listing (config.listed) waits for that listing only. Waiting requests are capped; liveness,
    // readiness and the API description answer at once.
    let waiting = 0;
    /** Waits for `served`, the startup wait at most, unless as many requests wait already; then resolves either way. */
    async function waitFor(served: Promise<void>): Promise<void> {
      if (status.state !== 'starting' || waiting >= MAX_WAITING_REQUESTS) return;
      waiting += 1;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([served, new Promise((resolve) => (timer = setTimeout(resolve, options.startupWaitMs ?? STARTUP_WAIT_MS)))]);
      } finally {
        clearTimeout(timer);
        waiting -= 1;
      }
    }
    fastify.addHook('onRequest', async (request, reply) => {
      if (status.state !== 'starting' || ANSWERS_WITHOUT_CONTENT.test(request.url)) return;
      const { listed: answersFromListing } = request.routeOptions.config;
      const fromListing = typeof answersFromListing === 'function' ? answersFromListing(request) : answersFromListing === true;
      const answers = () => status.state !== 'starting' || (listing !== undefined && fromListing);
      if (answers()) return;
      await waitFor(fromListing ? Promise.race([loaded, listed]) : loaded);
      if (answers()) return;
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return sendProblem(reply, problemOf(503, 'The content is still loading; retry in a moment.', request.url.split('?')[0]));
    });

    if (options.loadInBackground) {
      // Started now, not once the instance is ready: the load's waits (files, the pack, the lstat
      // worker) overlap the rest of the start (routes, their schemas, the API description).
      store.reload().catch(() => undefined);
    } else {
      // Tests and tools: the instance is ready only once content is served (a bad folder fails the boot).
      await store.reload();
    }
  },
  { name: 'content', dependencies: ['delivery'] },
);

/** Pages added, removed or changed between two versions (compared by their serialized bytes). */
function changedSlugs(previous: Snapshot, next: Snapshot): string[] {
  // A live edit keeps every other record in its place: compared side by side, without a map of 10,000 slugs.
  if (previous.pages.length === next.pages.length) {
    const changed: string[] = [];
    const aligned = next.pages.every((record, index) => {
      const was = previous.pages[index];
      if (was === record) return true;
      if (was.summary.slug !== record.summary.slug) return false;
      if (was.json.etag !== record.json.etag) changed.push(record.summary.slug);
      return true;
    });
    if (aligned) return changed.sort();
  }
  const before = new Map(previous.pages.map((record) => [record.summary.slug, record]));
  const changed: string[] = [];
  for (const record of next.pages) {
    const slug = record.summary.slug;
    const was = before.get(slug);
    before.delete(slug);
    // Unchanged pages keep their record from one load to the next: most comparisons stop at `===`.
    if (!was || (was !== record && was.json.etag !== record.json.etag)) changed.push(slug);
  }
  return [...changed, ...before.keys()].sort();
}

function sameDiagnostics(a: Snapshot, b: Snapshot): boolean {
  return JSON.stringify(a.diagnostics) === JSON.stringify(b.diagnostics);
}

/** One structured line per content load: what is served, what is wrong, and how long it took. */
function logLoad(log: { info: (o: object, m: string) => void }, snapshot: Snapshot, loopDelayMaxMs: number, message: string) {
  const errors = snapshot.diagnostics.filter((d) => d.severity === 'error').length;
  log.info(
    {
      version: snapshot.version,
      pages: snapshot.published.pages.length,
      drafts: snapshot.pages.length - snapshot.published.pages.length,
      read: snapshot.read,
      rendered: snapshot.rendered,
      errors,
      warnings: snapshot.diagnostics.length - errors,
      durationMs: snapshot.loadMs,
      stagesMs: snapshot.stagesMs,
      loopDelayMaxMs,
    },
    message,
  );
}

/**
 * What /health and /ready say of a failed load: the folder's own sentence (it names no path), or
 * else the error's code alone: a file system error's message names the machine's paths (the log
 * has it whole).
 */
export function failureDetail(error: Error): string {
  if (error instanceof ContentFolderUnavailable) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return `the content could not be loaded (${typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'an unexpected error'})`;
}
