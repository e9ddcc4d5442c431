import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bytesToRender, type PageEntry, type ReadEntry, type RenderSource, type SourceText } from './entry.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { RenderContext } from './render-page.ts';
import type { RenderedPage } from './rendered-page.ts';
import type { SiteSources } from './site-rules-loader.ts';
import { WorkerSignal } from './worker-signal.ts';

/** A page rendered, or the one problem that kept it from rendering (deadline, depth, crash). */
export type RenderOutcome = { ok: true; rendered: RenderedPage } | { ok: false; problem: ContentProblem };

/**
 * A file's front matter as read, or the one problem that kept the worker from reading it
 * (deadline, crash). Such a problem says nothing about the file's content: it is not cached.
 */
export type ParseOutcome = { ok: true; read: ReadEntry } | { ok: false; problem: ContentProblem };

/**
 * What the loader sends a render worker: a request to read the site's own files; the site's
 * sources (its rules are made from them); the render context; batches of entries to render;
 * batches of source files to read the front matter of.
 */
export type RenderRequest =
  | { readSite: true }
  | { site: SiteSources; siteKey: string }
  | { context: RenderContext }
  | { id: number; entries: RenderSource[]; mayHandBack?: boolean }
  | { id: number; sources: SourceText[]; rulesKey: string }
  | { warmUp: RenderSource[]; rounds: number }
  | { warmUpHeld: boolean }
  | { stop: true };
/** What a worker sends back: that it is ready, the site's sources when asked, one reply per entry or source. */
export type RenderReply =
  | { ready: true }
  | { site: SiteSources }
  | { siteError: string }
  | { warmedUp: number }
  | BatchReply;
/**
 * A reply about one item of a batch: rendered, parsed, begun anew with a new deadline (about to
 * be parsed for the checks, or begun after the worker gave way to a live edit, see giveWay), or
 * not begun: the worker handed it and the rest of its batch back (see renderAlongside).
 */
type BatchReply =
  | { id: number; index: number; outcome: RenderOutcome }
  | { id: number; index: number; parsed: ParseOutcome }
  | { id: number; index: number; checking: true }
  | { id: number; index: number; gaveWay: true }
  | { id: number; index: number; handedBack: true };

/** The site's rules as a worker makes them: from their sources, named by a key. */
export interface SiteInputs {
  site: SiteSources;
  /** Names `site`: a worker makes its rules again only when it changes. */
  siteKey: string;
}

/** What a batch of source files is read under: the site's rules, and the key renders under them are named by (see entryRenderKey). */
export interface ParseInputs extends SiteInputs {
  rulesKey: string;
}

/** Everything a batch of pages renders against: the site's rules (as sources) and the context. */
export interface RenderInputs extends SiteInputs {
  context: RenderContext;
}

export interface RenderPoolOptions {
  /** The content folder (workers read the site's rules from it). */
  root: string;
  /** Most milliseconds one page may take to render before its worker is stopped (RENDER_TIMEOUT_MS). */
  timeoutMs: number;
  /** Most workers at once (default: one per core). */
  threads?: number;
  /** Heap cap of each worker, in MB: a page that allocates past it fails alone. */
  maxHeapMb?: number;
  /**
   * Workers kept running between renders for live edits (1 for live reloads, 0 to free their
   * memory), once the first live edit came (see expectEdits).
   */
  keepWarm?: number;
  /**
   * Milliseconds without any work after which the workers kept warm are stopped too (default
   * {@link WARM_IDLE_MS}); the next load starts one again.
   */
  warmIdleMs?: number;
  /**
   * How many times longer than on an idle machine a render takes now (default: from the load
   * average, see {@link machineContention}); page deadlines are stretched by it.
   */
  contention?: () => number;
  /** Milliseconds a worker asked to stop gets to end the page it is on before it is terminated (default {@link STOP_WAIT_MS}). */
  stopWaitMs?: number;
}

const BATCH_SIZE = 16;
/** Milliseconds a worker may take to start (not counted against any page). */
const START_TIMEOUT_MS = 60_000;

/**
 * How long a worker asked to stop may take to end the page it is on (see stopWorker): pages take
 * milliseconds, and one that takes longer is ended by its own deadline.
 */
export const STOP_WAIT_MS = 1000;

/** Milliseconds reading and parsing the site's own files may take (each capped in size). */
const SITE_TIMEOUT_MS = 30_000;
/** A page that overran its budget is tried again, alone, with this many times its budget. */
const RETRY_BUDGET_FACTOR = 2;
/** Most a budget is stretched for a busy machine: a page that truly spins is still stopped. */
const MAX_CONTENTION = 8;

/**
 * How much slower than on an idle machine a thread runs now: the 1-minute load average per core,
 * at least 1 and at most {@link MAX_CONTENTION}. Deadlines are wall-clock time, but what they
 * bound is a page's CPU work: with 5 runnable threads on 2 cores, each gets about 2/5 of a core,
 * and an ordinary large page (a long FAQ rendered in 1 s on an idle machine) needs 2.5 s.
 */
export function machineContention(): number {
  return Math.min(MAX_CONTENTION, Math.max(1, loadavg()[0] / availableParallelism()));
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** The site and context this worker was last sent (sent again only when they change). */
  siteKey?: string;
  context?: RenderContext;
  /** Set when the worker exited: the slot is refilled before its next batch. */
  exited: boolean;
  /** Settles when the worker has exited. */
  gone: Promise<void>;
  /** Set to 1 to have the worker exit before its next page or source (see stopWorker). */
  stop: Int32Array;
  /** Pages rendered since it started: a worker kept warm after a whole site is replaced by a fresh one. */
  rendered: number;
  /** Whether it was sent the warm-up sample. */
  warmedUp?: boolean;
  /** How many pages its warm-up rendered, once the warm-up ended (finished, or stopped by real work). */
  warmUpRendered?: number;
  /** Whether it is rendering a batch (it is not replaced meanwhile). */
  busy?: boolean;
  /** What it was started for: whole loads (a large young generation) or live edits between loads (a small one). */
  role: WorkerRole;
}

/**
 * A worker for whole loads or one kept warm for live edits. Scavenging the parser's short-lived
 * objects is a large part of a render, so how much young generation a worker gets is a trade of
 * speed for memory; and a first start serves pages while its workers render (see
 * load/listing.ts), so what they hold counts as much as how fast they go. Measured at 10,000 seed
 * pages on 2 cores (since the parser's tree builder was patched, see the README): 16 MB rendered
 * them as fast as 32 MB (13.2–15.6 s against 12.8–17.9 s, six runs) with the process 30–50 MB
 * smaller through the render (median RSS 310–338 MB against 323–375 MB); 8 MB took twice as long
 * (28.1 and 31.4 s). Large pages pay a little: 150 pages of 80 KB took 12.2–13.0 s against
 * 10.7–11.9 s. A worker kept between loads renders one page at a time, and whatever young
 * generation its warm-up grows stays committed for as long as it runs (minutes), so it gets a
 * small one. At 10,000 seed pages the warm worker's heap was 45 MB with 16 MB of young
 * generation (all of it committed) and 18 MB with 4; a seed page's edit took the same time
 * (17–37 ms from save to served, both ways), a 238 KB page's about 15% longer (0.84–0.96 s
 * against 0.70–0.83 s, 9 edits each).
 */
type WorkerRole = 'load' | 'warm';
export const YOUNG_GENERATION_MB: Record<WorkerRole, number> = { load: 16, warm: 4 };

/** A render asked for alongside a whole render (see renderAlongside), and who waits for its outcome. */
interface AlongsideJob {
  inputs: RenderInputs;
  source: RenderSource;
  resolve: (outcome: RenderOutcome | undefined) => void;
}

/** A batch of source files to parse, and who waits for their outcomes. */
interface ParseJob {
  site: ParseInputs;
  sources: readonly SourceText[];
  resolve: (outcomes: ParseOutcome[]) => void;
}

/**
 * Pages past which a worker kept warm between loads is replaced by a fresh one: rendering a site
 * leaves a worker holding hundreds of megabytes it does not give back, and a live edit needs a
 * few.
 */
const RECYCLE_AFTER_PAGES = 256;
/** Pages a fresh warm worker renders to warm up (its code is optimized after some). */
export const WARM_UP_PAGES = 48;
/**
 * Times it renders them: a seed-sized page takes about 25 ms on a fresh worker, 8 ms after 50
 * renders, 6 ms after 100 and 5 ms from 200 on, and a live edit's render is what it waits for.
 */
export const WARM_UP_ROUNDS = 4;
/** Milliseconds after a load before the warm worker is replaced, started or warmed up. */
const WARM_DELAY_MS = 200;
/**
 * Milliseconds without a load before a warm-up held by one goes on (see holdWarmUp): an author's
 * saves come in bursts, and each should find the cores free.
 */
const WARM_UP_QUIET_MS = 300;
/**
 * Milliseconds without work after which the worker kept warm is stopped: its memory (the site's
 * render context and the warmed-up renderer: 18 MB of heap at 10,000 seed pages, see
 * YOUNG_GENERATION_MB, and its thread's) given back on a service nobody edits for a while. The first live edit after that starts a worker again (307 ms from save to served, in
 * that run, against about 40 ms on the warm worker).
 */
export const WARM_IDLE_MS = 10 * 60_000;

/**
 * A wait for a live edit (see giveWay) lasts at most this fraction of a page's shortest deadline:
 * the deadline of the page a worker waits before runs through the wait, and the main thread that
 * ends the wait may be a little late.
 */
const GIVE_WAY_SHARE = 4;

/**
 * Renders page bodies on worker threads, each page under a deadline: all of a page's expensive
 * work (Liquid, markdown, rehype, sanitizing, sections) happens off the main thread, at cold
 * load, warm start and every live edit. A worker that overruns the deadline on a page (or runs
 * out of memory, or dies) is terminated and replaced; that page gets a `render-timeout` (after a
 * second try, alone) or `render-failed` problem, and every other page renders.
 */
export function createRenderPool(options: RenderPoolOptions) {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const keepWarm = Math.min(threads, options.keepWarm ?? 0);
  const contention = options.contention ?? machineContention;
  const slots: Slot[] = [];
  let closed = false;
  // What the last batch rendered against: a fresh warm worker is sent it at once, so a live edit finds it ready.
  let lastInputs: RenderInputs | undefined;
  // Warm workers being replaced or started: renders wait for them.
  let replacing: Promise<void> = Promise.resolve();
  // Pages a fresh warm worker renders first (see warmUp), and the moment it is done.
  let warmUpSample: readonly RenderSource[] = [];
  let warming: NodeJS.Timeout | undefined;
  // Batches of source files waiting for a worker (see parse), and the slots whose workers are taking them.
  const parseQueue: ParseJob[] = [];
  const parsing = new Set<number>();
  // Site reads, renders and parse lanes under way: the workers are not replaced or primed meanwhile (see warm).
  let active = 0;
  // Stops the warm workers once no work came for warmIdleMs (see retireWhenIdle).
  let idleTimer: NodeJS.Timeout | undefined;
  // Loads under way, whether warm-ups wait for them, and the timer that lets them go on (see holdWarmUp).
  let loadsHolding = 0;
  let warmUpHeld = false;
  let warmUpRelease: NodeJS.Timeout | undefined;
  // Whether live edits came since the pool started or last retired its workers (see expectEdits).
  let editing = false;
  // Renders under way, and the entries asked for alongside them (see renderAlongside).
  let rendering = 0;
  const alongside: AlongsideJob[] = [];
  // What the workers are asked between two pages (see WorkerSignal, giveWay and renderAlongside),
  // the timer that ends a wait, when the last wait began and when the next may.
  const givingWay = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  let giveWayEnd: NodeJS.Timeout | undefined;
  let gaveWayAt = 0;
  let restUntil = 0;
  async function occupying<T>(work: () => Promise<T>): Promise<T> {
    clearTimeout(idleTimer);
    active += 1;
    try {
      return await work();
    } finally {
      active -= 1;
      // A live edit's render (patch.ts) is followed by no warm(): the wait starts from here too.
      if (active === 0 && keepWarm > 0 && !closed) retireWhenIdle();
    }
  }

  async function spawn(role: WorkerRole = 'load'): Promise<Slot> {
    const script = await workerScript();
    const stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(script, {
      workerData: { root: options.root, stop, givingWay },
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB[role] },
    });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('render worker did not start')), START_TIMEOUT_MS);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        reject(new Error('render worker exited while starting'));
      });
    });
    ready.catch(() => undefined);
    let markGone!: () => void;
    const gone = new Promise<void>((resolve) => (markGone = resolve));
    const slot: Slot = { worker, ready, exited: false, gone, stop, rendered: 0, role };
    worker.once('exit', () => {
      slot.exited = true;
      markGone();
    });
    worker.on('message', (reply: RenderReply) => {
      if ('warmedUp' in reply) slot.warmUpRendered = reply.warmedUp;
    });
    return slot;
  }

  /**
   * Reads and parses the site's own files (config, data, includes, menus) on a worker: a large
   * data file takes hundreds of milliseconds to parse, which the main thread must not spend.
   */
  function readSite(): Promise<SiteSources> {
    return occupying(readSiteOnWorker);
  }

  async function readSiteOnWorker(): Promise<SiteSources> {
    await replacing;
    if (slots.length === 0) slots.push(await spawn());
    const slot = slots[0];
    await slot.ready;
    return new Promise<SiteSources>((resolve, reject) => {
      const timer = setTimeout(() => {
        void slot.worker.terminate();
        done(new Error(`reading the site's files took longer than ${SITE_TIMEOUT_MS} ms`));
      }, SITE_TIMEOUT_MS);
      const onMessage = (reply: RenderReply) => {
        if ('site' in reply) done(undefined, reply.site);
        else if ('siteError' in reply) done(new Error(reply.siteError));
      };
      const onExit = () => done(new Error('the worker reading the site stopped'));
      function done(error: Error | undefined, sources?: SiteSources) {
        clearTimeout(timer);
        slot.worker.off('message', onMessage);
        slot.worker.off('exit', onExit);
        if (error) reject(error);
        else resolve(sources!);
      }
      slot.worker.on('message', onMessage);
      slot.worker.once('exit', onExit);
      slot.worker.postMessage({ readSite: true } satisfies RenderRequest);
    });
  }

  /** Renders the entries with the inputs; outcomes in the order of the entries (see {@link RenderHooks} for them as they come). */
  function render(inputs: RenderInputs, entries: readonly RenderSource[], hooks: RenderHooks = {}): Promise<RenderOutcome[]> {
    return occupying(() => renderOnWorkers(inputs, entries, hooks));
  }

  /**
   * Renders a few entries on the workers of the whole render under way, before the render's own:
   * the first worker between two pages hands the rest of its batch back (see WorkerSignal) and
   * takes one. A live edit during a first load's render (see load/edit-listing.ts) is not queued
   * behind thousands of pages, nor behind a worker's batch. Each entry has its own
   * deadline, without the retry. Undefined when no render is under way (the caller waits for the
   * load instead); an entry the render ended before it was taken gets undefined.
   */
  function renderAlongside(inputs: RenderInputs, sources: readonly RenderSource[]): Promise<(RenderOutcome | undefined)[]> | undefined {
    if (rendering === 0 || closed) return undefined;
    const outcomes = Promise.all(sources.map((source) => new Promise<RenderOutcome | undefined>((resolve) => alongside.push({ inputs, source, resolve }))));
    // The edit needs a worker: the renders give way no more, and the first worker between two
    // pages hands the rest of its batch back and takes it.
    clearTimeout(giveWayEnd);
    if (Atomics.exchange(givingWay, 0, WorkerSignal.handBack) === WorkerSignal.wait) restAfterWait();
    Atomics.notify(givingWay, 0);
    return outcomes;
  }

  async function renderOnWorkers(inputs: RenderInputs, entries: readonly RenderSource[], hooks: RenderHooks): Promise<RenderOutcome[]> {
    // Work is handed out by position; a batch cut short by a timeout puts the rest back first.
    const queue: number[][] = [];
    for (let start = 0; start < entries.length; start += BATCH_SIZE) {
      queue.push(Array.from({ length: Math.min(BATCH_SIZE, entries.length - start) }, (_, i) => start + i));
    }
    const outcomes = new Array<RenderOutcome>(entries.length);
    const demanded = demandsOf(queue, outcomes, hooks.settled);
    rendering += 1;
    try {
      hooks.demand?.(demanded.first);
      await replacing;
      lastInputs = inputs;
      if (entries.length === 0) {
        release();
        return outcomes;
      }
      const wanted = Math.min(threads, queue.length);
      while (slots.length < wanted) slots.push(await spawn());

      const drive = async (slotIndex: number, budgetFactor = 1): Promise<void> => {
        while ((queue.length > 0 || alongside.length > 0) && !closed) {
          if (slots[slotIndex].exited) slots[slotIndex] = await spawn();
          const slot = slots[slotIndex];
          try {
            await slot.ready;
          } catch {
            // A worker that cannot start at all: fail what is left rather than loop.
            for (const batch of queue.splice(0)) for (const at of batch) demanded.settle(at, { ok: false, problem: failed(entries[at].entry, 'render-failed', 'the render worker could not start') });
            return;
          }
          // An entry asked for alongside goes first, as a batch of its own.
          const extra = alongside.shift();
          if (alongside.length === 0) Atomics.compareExchange(givingWay, 0, WorkerSignal.handBack, WorkerSignal.go);
          const batch = extra ? undefined : queue.shift();
          // Another worker may have taken the last batch while this one was starting.
          if (!extra && !batch) return;
          const timeoutMs = options.timeoutMs * budgetFactor;
          const budget = (entry: RenderSource) => budgetFor(entry, timeoutMs) * contention();
          slot.busy = true;
          const cut = await (extra
            ? runBatch(slot, extra.inputs, [0], [extra.source], (_, outcome) => extra.resolve(outcome), budget)
            : runBatch(slot, inputs, batch!, entries, demanded.settle, budget, true)
          ).finally(() => (slot.busy = false));
          if (cut) {
            // The worker was stopped: replace it. Either way, give back what it did not get to.
            if (cut.stopped) {
              void slot.worker.terminate();
              if (closed) return;
              slots[slotIndex] = await spawn();
            }
            if (cut.rest.length > 0) queue.unshift(cut.rest);
          }
        }
      };
      await Promise.all(Array.from({ length: wanted }, (_, index) => drive(index)));
      // A page that overran its budget gets one more, alone, once the rest is done, with twice the
      // budget: on a busy machine an ordinary page can be descheduled past its deadline (and the
      // retry runs on a fresh worker, which has yet to make the site's rules and warm up); a
      // pathological one fails again.
      const overran = outcomes.flatMap((outcome, at) => (!outcome.ok && outcome.problem.code === 'render-timeout' ? [at] : []));
      if (overran.length > 0 && !closed) {
        queue.push(...overran.map((at) => [at]));
        await drive(0, RETRY_BUDGET_FACTOR);
      }
      release();
      return outcomes;
    } finally {
      // Whoever still waits gets what there is (the pool closed, or a worker could not be made).
      demanded.end();
      rendering -= 1;
      if (rendering === 0) {
        goOn();
        for (const job of alongside.splice(0)) job.resolve(undefined);
      }
    }
  }

  /**
   * Reads the front matter of source files on the workers (readEntry under the site's rules);
   * outcomes in the order of the sources. The loader calls it for each batch of files as it
   * reads them, without waiting: batches queue here and go to the first free worker, so the
   * workers parse while the main thread reads. Each file has RENDER_TIMEOUT_MS (stretched on a
   * busy machine, as renders are); a file that overruns it is tried once more, alone, with twice
   * the budget, and a file that overruns again, or whose worker dies, gets a problem of its own
   * while the worker is replaced and the rest of the batch goes on.
   */
  function parse(site: ParseInputs, sources: readonly SourceText[]): Promise<ParseOutcome[]> {
    return new Promise((resolve) => {
      parseQueue.push({ site, sources, resolve });
      let idle = parseQueue.length;
      for (let index = 0; index < threads && idle > 0; index++) {
        if (parsing.has(index)) continue;
        parsing.add(index);
        idle -= 1;
        void parseLane(index);
      }
    });
  }

  /** One worker's share of the parsing: takes batches from the queue until there are none. */
  async function parseLane(index: number): Promise<void> {
    // Slots are filled in order (each lane's worker is there once its turn comes), after any warm
    // worker being replaced.
    replacing = replacing.then(async () => {
      while (slots.length <= index && !closed) slots.push(await spawn());
    }).catch(() => undefined);
    await replacing;
    active += 1;
    try {
      for (let job = parseQueue.shift(); job; job = parseQueue.shift()) {
        // A worker that cannot even be started (out of threads or memory) fails the batch, never the load.
        const failed = (): ParseOutcome[] => job.sources.map(() => ({ ok: false, problem: parseFailure({ reason: 'exited' }) }));
        job.resolve(await parseOn(index, job).catch(failed));
      }
    } finally {
      active -= 1;
      parsing.delete(index);
    }
  }

  /** Parses one batch of sources on the worker of slot `index`, replacing it when it is stopped. */
  async function parseOn(index: number, job: ParseJob): Promise<ParseOutcome[]> {
    const { site, sources } = job;
    const outcomes = new Array<ParseOutcome>(sources.length);
    const queue = [{ batch: [...sources.keys()], budgetFactor: 1 }];
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { batch, budgetFactor } = next;
      if (closed || !slots[index]) {
        for (const at of batch) outcomes[at] = { ok: false, problem: parseFailure({ reason: 'exited' }) };
        continue;
      }
      if (slots[index].exited) slots[index] = await spawn();
      const slot = slots[index];
      try {
        await slot.ready;
      } catch {
        for (const at of batch) outcomes[at] = { ok: false, problem: parseFailure({ reason: 'exited' }) };
        continue;
      }
      slot.busy = true;
      const leftover = await runParseBatch(slot, site, batch, sources, outcomes, () => options.timeoutMs * budgetFactor * contention()).finally(() => (slot.busy = false));
      if (!leftover) continue;
      void slot.worker.terminate();
      if (!closed) slots[index] = await spawn();
      if (leftover.length > 0) queue.unshift({ batch: leftover, budgetFactor });
      // As for renders (see render): a file descheduled past its deadline on a busy machine gets
      // a second chance, alone; a pathological one overruns again.
      const overran = batch.find((at) => outcomes[at]?.ok === false && outcomes[at].problem.code === 'front-matter-timeout');
      if (overran !== undefined && budgetFactor === 1) queue.push({ batch: [overran], budgetFactor: RETRY_BUDGET_FACTOR });
    }
    return outcomes;
  }

  /**
   * Between loads only the warm workers stay: the rest give their memory back, and so does a warm
   * one that rendered many pages (it is replaced by a fresh one, sent the last inputs at once).
   */
  function release() {
    for (const slot of slots.splice(keepWarm)) void stopWorker(slot);
  }

  /** Replaces a warm worker by a fresh one; renders wait for it (see `replacing`). */
  function replace(index: number, slot: Slot) {
    void stopWorker(slot);
    replacing = Promise.all([replacing, spawn('warm').then((fresh) => {
      if (lastInputs) prime(fresh, lastInputs);
      warmUp(fresh);
      slots[index] = fresh;
    })]).then(() => undefined, () => undefined);
  }

  /**
   * Once a load is done (a moment later, so that its first requests come first): the workers
   * kept warm are running, one started for a load (or that rendered a whole site) is replaced by a
   * fresh one started for live edits, and
   * each has the site and context of these inputs, so that the next live edit renders at once
   * (after a warm start, nothing was rendered); a worker that has not rendered yet renders
   * `sample` (pages that rendered before) to warm up.
   */
  function warm(inputs: RenderInputs, sample: readonly RenderSource[] = []) {
    lastInputs = inputs;
    warmUpSample = sample.slice(0, WARM_UP_PAGES);
    if (keepWarm === 0 || closed) return;
    clearTimeout(warming);
    const settle = () => {
      // Never while the next load has work on the workers (a worker starting for it, a batch, a
      // site read): it would be stopped under that work, or sent these older inputs. Tried again later.
      if (active > 0 || parseQueue.length > 0) {
        warming = setTimeout(settle, WARM_DELAY_MS).unref();
        return;
      }
      // No live edit yet: the load's workers give their memory back (see expectEdits).
      if (!editing) return stopIdle();
      for (const [index, slot] of slots.entries()) if ((slot.role === 'load' || slot.rendered > RECYCLE_AFTER_PAGES) && !closed) replace(index, slot);
      replacing = replacing.then(async () => {
        while (slots.length < keepWarm && !closed) slots.push(await spawn('warm'));
        for (const slot of slots) {
          prime(slot, inputs);
          warmUp(slot);
        }
      }).catch(() => undefined);
      retireWhenIdle();
    };
    warming = setTimeout(settle, WARM_DELAY_MS).unref();
  }

  /**
   * Stops the warm workers once the pool has had no work for warmIdleMs, counted from the end of
   * the last site read or render and from each load's warm(). Never under work: tried again
   * later then.
   */
  function retireWhenIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (active > 0 || parseQueue.length > 0) return retireWhenIdle();
      clearTimeout(warming);
      editing = false;
      stopIdle();
    }, options.warmIdleMs ?? WARM_IDLE_MS).unref();
  }

  /** Stops every worker once the ones being started are up, unless work came for them meanwhile. */
  function stopIdle() {
    replacing = replacing.then(() => {
      if (active === 0 && parseQueue.length === 0) for (const slot of slots.splice(0)) void stopWorker(slot);
    }).catch(() => undefined);
  }

  /**
   * A live edit came (the watcher saw a change): from the next load on, a worker is kept warm for
   * the ones after it, until the pool has had no work for warmIdleMs. Until then no worker
   * outlives its load: a service that is started and read but not edited, the usual case even
   * with a watcher, keeps no render worker's memory (at 10,000 seed pages, the process took
   * 335–354 MB 15 s after a cold start without it, against 360–364 MB with it). The first edit
   * that renders a page starts a worker (a few hundred milliseconds); an edit of front matter
   * alone renders nothing (see entryRenderKey).
   */
  function expectEdits() {
    editing = true;
  }

  /** Whether a worker is kept warm after this load (live edits came): the load then reads it a warm-up sample. */
  function keepsWarm(): boolean {
    return keepWarm > 0 && editing;
  }

  /** Workers running now (started, starting or kept warm). */
  function workers(): number {
    return slots.filter((slot) => !slot.exited).length;
  }

  /**
   * Starts the workers a render of `pages` pages will use, so that their start overlaps the
   * reading of the files (a cold start: each takes a few hundred milliseconds to load the renderer).
   */
  function prepare(pages: number) {
    const wanted = Math.min(threads, Math.ceil(pages / BATCH_SIZE));
    replacing = replacing.then(async () => {
      while (slots.length < wanted && !closed) slots.push(await spawn());
    }).catch(() => undefined);
  }

  /**
   * Has a worker that rendered nothing yet render the warm-up sample (it stops as soon as real
   * work arrives, and waits while a load holds it).
   */
  function warmUp(slot: Slot) {
    if (slot.rendered > 0 || slot.warmedUp || warmUpSample.length === 0) return;
    slot.warmedUp = true;
    slot.worker.postMessage({ warmUp: [...warmUpSample], rounds: WARM_UP_ROUNDS } satisfies RenderRequest);
    if (warmUpHeld) slot.worker.postMessage({ warmUpHeld: true } satisfies RenderRequest);
  }

  /** Tells the workers still warming up whether to wait (a worker reads it between two pages). */
  function sendWarmUpHeld(held: boolean) {
    for (const slot of slots) if (slot.warmedUp && slot.warmUpRendered === undefined && !slot.exited) slot.worker.postMessage({ warmUpHeld: held } satisfies RenderRequest);
  }

  /**
   * A load began: a warm-up under way waits, from its next page on, until no load has run for
   * WARM_UP_QUIET_MS (see releaseWarmUp). A live edit that renders nothing (its page patched on
   * the main thread) then has the cores to itself, as do the requests that follow it; a render
   * sent to the worker meanwhile ends the warm-up, as always.
   */
  function holdWarmUp() {
    loadsHolding += 1;
    clearTimeout(warmUpRelease);
    if (warmUpHeld) return;
    warmUpHeld = true;
    sendWarmUpHeld(true);
  }

  /** A load ended: once none has run for WARM_UP_QUIET_MS, a warm-up held goes on. */
  function releaseWarmUp() {
    loadsHolding = Math.max(0, loadsHolding - 1);
    if (loadsHolding > 0) return;
    clearTimeout(warmUpRelease);
    warmUpRelease = setTimeout(() => {
      warmUpHeld = false;
      sendWarmUpHeld(false);
    }, WARM_UP_QUIET_MS).unref();
  }

  /**
   * Has the workers of a render under way wait between two pages, for `ms` at most: a live edit
   * that came while a first load renders (see load/edit-listing.ts) then has the cores to itself
   * while it is served, as do the requests that follow it. Ends early when the edit needs a render
   * (see renderAlongside), the render ends or the pool closes. A wait is never extended, and the
   * next begins no sooner than the last one lasted after its end: saves in a stream (an editor's
   * autosave, a script) hold the render half the time at most. A page's deadline is set again
   * once its worker goes on; the deadline of the page a worker waits before runs meanwhile, so a
   * wait lasts at most a {@link GIVE_WAY_SHARE}th of the shortest deadline (RENDER_TIMEOUT_MS may
   * be as short as 100 ms): no page is stopped for a wait. Gives the milliseconds the wait was
   * begun for, or 0 when none was.
   */
  function giveWay(ms: number): number {
    const now = performance.now();
    if (rendering === 0 || closed || now < restUntil) return 0;
    if (Atomics.compareExchange(givingWay, 0, WorkerSignal.go, WorkerSignal.wait) !== WorkerSignal.go) return 0;
    const lasting = Math.min(ms, options.timeoutMs / GIVE_WAY_SHARE);
    gaveWayAt = now;
    giveWayEnd = setTimeout(goOn, lasting).unref();
    return lasting;
  }

  /** The workers go on, from a wait or a hand-back (see giveWay, renderAlongside). */
  function goOn() {
    clearTimeout(giveWayEnd);
    const was = Atomics.exchange(givingWay, 0, WorkerSignal.go);
    if (was === WorkerSignal.wait) restAfterWait();
    if (was !== WorkerSignal.go) Atomics.notify(givingWay, 0);
  }

  /** The next wait begins no sooner than this one lasted (see giveWay). */
  function restAfterWait() {
    const now = performance.now();
    restUntil = now + (now - gaveWayAt);
  }

  /** How many pages each warm-up that ended rendered (for the tests: a held one has not ended). */
  function warmUpsEnded(): number[] {
    return slots.flatMap((slot) => (slot.warmUpRendered === undefined ? [] : [slot.warmUpRendered]));
  }

  async function close(): Promise<void> {
    closed = true;
    goOn();
    clearTimeout(warming);
    clearTimeout(warmUpRelease);
    clearTimeout(idleTimer);
    await replacing;
    await Promise.all(slots.splice(0).map(stopWorker));
  }

  /**
   * Stops a worker between two pages rather than wherever it is: it is asked to exit before its
   * next page or source (a flag it reads, and a message for one waiting for work), and terminated
   * only if it has not within the stop wait. Node (20 and 24) aborts the whole process when a
   * worker is terminated while zlib sets up a stream ("close before init"), and a render packs its
   * texts with zlib: terminated in a render, a worker could take the service down with it. A
   * worker past a page's deadline is still terminated (runBatch): nothing else stops it.
   */
  async function stopWorker(slot: Slot): Promise<void> {
    Atomics.store(slot.stop, 0, 1);
    if (!slot.exited) slot.worker.postMessage({ stop: true } satisfies RenderRequest);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.stopWaitMs ?? STOP_WAIT_MS)));
    await Promise.race([slot.gone, waited]);
    clearTimeout(timer);
    if (!slot.exited) await slot.worker.terminate();
  }

  return { readSite, render, renderAlongside, giveWay, parse, warm, prepare, holdWarmUp, releaseWarmUp, warmUpsEnded, close, workers, expectEdits, keepsWarm };
}

export type RenderPool = ReturnType<typeof createRenderPool>;

/** Why a worker was stopped on an item of a batch: its deadline passed, or it crashed, ran out of memory or exited. */
type BatchStop = { reason: 'timeout'; budget: number } | { reason: 'crashed' | 'out-of-memory' | 'exited' };

/**
 * Sends one batch request to a worker and follows its replies, one per item (`answer` takes
 * each), every item under a deadline of its own: a worker is only as slow as its slowest item,
 * and one hostile item must not eat the budget of those after it. Resolves with undefined when
 * every item was answered, or, when the worker overran a deadline (the caller stops it) or died,
 * with the item it was on and why.
 */
function superviseBatch(
  slot: Slot,
  request: Extract<RenderRequest, { id: number }>,
  size: number,
  budgetOf: (index: number) => number,
  answer: (reply: BatchReply) => void,
): Promise<{ at: number; stop: BatchStop } | { at: number; handedBack: true } | undefined> {
  return new Promise((resolve) => {
    const { worker } = slot;
    let answered = 0;
    let timer: NodeJS.Timeout;
    const finish = (result: { at: number; stop: BatchStop } | { at: number; handedBack: true } | undefined) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(result);
    };
    const arm = () => {
      clearTimeout(timer);
      const budget = Math.round(budgetOf(answered));
      timer = setTimeout(() => finish({ at: answered, stop: { reason: 'timeout', budget } }), budget);
    };
    const onMessage = (reply: RenderReply) => {
      if (!('id' in reply) || reply.id !== request.id) return;
      // Rendered; what the checks need is parsed next, under a deadline of its own. Or the page
      // begins once the worker gave way: the wait is not the page's.
      if ('checking' in reply || 'gaveWay' in reply) return arm();
      if ('handedBack' in reply) return finish({ at: reply.index, handedBack: true });
      answer(reply);
      answered = reply.index + 1;
      if (answered === size) finish(undefined);
      else arm();
    };
    const onError = (error: Error & { code?: string }) => {
      finish({ at: answered, stop: { reason: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crashed' } });
    };
    const onExit = () => finish({ at: answered, stop: { reason: 'exited' } });
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(request);
    arm();
  });
}

/**
 * Sends one batch of entries to a worker to render. Resolves with undefined when the batch is
 * done, or with the entries it did not get to: when the worker had to be stopped (`stopped`; the
 * entry it was on has its outcome set to the problem), or when it handed them back for a render
 * a live edit waits for (`mayHandBack`, see renderAlongside).
 */
async function runBatch(
  slot: Slot,
  inputs: RenderInputs,
  batch: number[],
  entries: readonly RenderSource[],
  settle: (at: number, outcome: RenderOutcome) => void,
  budgetOf: (entry: RenderSource) => number,
  mayHandBack = false,
): Promise<{ rest: number[]; stopped: boolean } | undefined> {
  prime(slot, inputs);
  slot.rendered += batch.length;
  const request = { id: batch[0], entries: batch.map((at) => entries[at]), mayHandBack };
  const cut = await superviseBatch(slot, request, batch.length, (index) => budgetOf(entries[batch[index]]), (reply) => {
    if ('outcome' in reply) settle(batch[reply.index], reply.outcome);
  });
  if (!cut) return undefined;
  if ('handedBack' in cut) {
    // Not rendered here: counted where they are (see RECYCLE_AFTER_PAGES).
    slot.rendered -= batch.length - cut.at;
    return { rest: batch.slice(cut.at), stopped: false };
  }
  const at = batch[cut.at];
  settle(at, { ok: false, problem: renderFailure(entries[at].entry, cut.stop) });
  return { rest: batch.slice(cut.at + 1), stopped: true };
}

/**
 * Puts entry `at` of a render under way at the front of its queue, and resolves with its final
 * outcome (after the retry of a page that overran its deadline), or undefined when the render
 * ended without one (the pool closed).
 */
export type RenderDemand = (at: number) => Promise<RenderOutcome | undefined>;

/** What a caller of a render may follow while it runs. */
export interface RenderHooks {
  /** Called once the work is queued, with the function that puts one entry first. */
  demand?: (first: RenderDemand) => void;
  /** Called with each entry's final outcome as it comes. */
  settled?: (at: number, outcome: RenderOutcome) => void;
}

/**
 * The outcomes of one render as they come, and entries asked for before the rest: an entry asked
 * for leaves its batch in the queue for a batch of its own at the front (one already handed out
 * is waited for). A page that overran its deadline is retried at the end: its final outcome is
 * that retry's.
 */
function demandsOf(queue: number[][], outcomes: RenderOutcome[], settled?: (at: number, outcome: RenderOutcome) => void) {
  const waiting = new Map<number, { promise: Promise<RenderOutcome | undefined>; resolve: (outcome: RenderOutcome | undefined) => void }>();
  const final = (outcome: RenderOutcome | undefined) => outcome !== undefined && (outcome.ok || outcome.problem.code !== 'render-timeout');
  let ended = false;
  const first: RenderDemand = (at) => {
    if (ended || final(outcomes[at])) return Promise.resolve(outcomes[at]);
    let waiter = waiting.get(at);
    if (!waiter) {
      let resolve!: (outcome: RenderOutcome | undefined) => void;
      waiter = { promise: new Promise((done) => (resolve = done)), resolve };
      waiting.set(at, waiter);
      const batchAt = queue.findIndex((batch) => batch.includes(at));
      if (batchAt !== -1) {
        const batch = queue[batchAt];
        batch.splice(batch.indexOf(at), 1);
        if (batch.length === 0) queue.splice(batchAt, 1);
        queue.unshift([at]);
      }
    }
    return waiter.promise;
  };
  const settle = (at: number, outcome: RenderOutcome) => {
    outcomes[at] = outcome;
    if (!final(outcome)) return;
    settled?.(at, outcome);
    waiting.get(at)?.resolve(outcome);
    waiting.delete(at);
  };
  /** The render ended: whoever still waits gets what there is. */
  const end = () => {
    ended = true;
    for (const [at, waiter] of waiting) waiter.resolve(outcomes[at]);
    waiting.clear();
  };
  return { first, settle, end };
}

/**
 * Sends one batch of source files to a worker to read their front matter, each under `budget`
 * ms. Resolves like {@link runBatch}: undefined, or the positions it did not get to (the one it
 * was on has its outcome set to the problem).
 */
async function runParseBatch(slot: Slot, site: ParseInputs, batch: number[], sources: readonly SourceText[], outcomes: ParseOutcome[], budget: () => number): Promise<number[] | undefined> {
  primeSite(slot, site);
  const request = { id: batch[0], sources: batch.map((at) => sources[at]), rulesKey: site.rulesKey };
  const stopped = await superviseBatch(slot, request, batch.length, budget, (reply) => {
    if ('parsed' in reply) outcomes[batch[reply.index]] = reply.parsed;
  });
  if (!stopped) return undefined;
  // Workers hand back render batches only (see WorkerSignal): one that did is taken for stopped.
  outcomes[batch[stopped.at]] = { ok: false, problem: parseFailure('stop' in stopped ? stopped.stop : { reason: 'exited' }) };
  return batch.slice(stopped.at + 1);
}

/** Sends a worker the site it does not have yet (it makes the site's rules from it). */
function primeSite(slot: Slot, site: SiteInputs): void {
  if (slot.siteKey === site.siteKey) return;
  slot.worker.postMessage({ site: site.site, siteKey: site.siteKey } satisfies RenderRequest);
  slot.siteKey = site.siteKey;
  slot.context = undefined;
}

/** Sends a worker the site and render context it does not have yet. */
function prime(slot: Slot, inputs: RenderInputs): void {
  primeSite(slot, inputs);
  if (slot.context !== inputs.context) {
    slot.worker.postMessage({ context: inputs.context } satisfies RenderRequest);
    slot.context = inputs.context;
  }
}

/** Body bytes each RENDER_TIMEOUT_MS of budget covers. */
const BYTES_PER_BUDGET = 128 * 1024;

/**
 * A page's render budget: RENDER_TIMEOUT_MS for every 128 KB of body (started; of its file, for a
 * body read from it). Pathological
 * pages are small inputs that take superlinear time, and stop at the first budget; a large but
 * ordinary page (a long FAQ, a 600 KB changelog) renders in time proportional to its size and
 * gets time in proportion. The 1 MB file cap bounds the largest budget at eight.
 */
export function budgetFor(entry: RenderSource, timeoutMs: number): number {
  return timeoutMs * Math.max(1, Math.ceil(bytesToRender(entry) / BYTES_PER_BUDGET));
}

/** The problem of a page whose render worker was stopped (see {@link superviseBatch}). */
function renderFailure(entry: PageEntry, stop: BatchStop): ContentProblem {
  return failed(entry, stop.reason === 'timeout' ? 'render-timeout' : 'render-failed', {
    timeout: `rendering took longer than ${stop.reason === 'timeout' ? stop.budget : 0} ms`,
    'out-of-memory': 'rendering ran out of memory',
    crashed: 'the renderer crashed',
    exited: 'the renderer stopped',
  }[stop.reason]);
}

function failed(entry: PageEntry, code: 'render-timeout' | 'render-failed', reason: string): ContentProblem {
  return {
    code,
    severity: 'error',
    line: entry.bodyLine,
    column: 1,
    field: null,
    message: `the page body could not be rendered: ${reason}, so the page is not served`,
    hint: code === 'render-timeout'
      ? 'Look for a Liquid loop over a huge range, an include that includes itself, or extremely deep nesting; the limit is RENDER_TIMEOUT_MS.'
      : 'Look for extremely deep nesting (lists, quotes, HTML), a very long line, or a Liquid loop that builds a huge output.',
  };
}

/**
 * The problem of a file whose front matter a worker did not get through: the YAML and size caps
 * bound what reading it costs, so this is a hostile or pathological file (or a machine so busy
 * that the retry, with twice the budget, overran too). It is reported at line 1, like every
 * front matter that cannot be read, and, like them, it leaves the file's last good version served.
 */
function parseFailure(stop: BatchStop): ContentProblem {
  const timeout = stop.reason === 'timeout';
  const reason = {
    timeout: `reading it took longer than ${timeout ? stop.budget : 0} ms`,
    'out-of-memory': 'reading it ran out of memory',
    crashed: 'the worker reading it crashed',
    exited: 'the worker reading it stopped',
  }[stop.reason];
  return {
    code: timeout ? 'front-matter-timeout' : 'front-matter-failed',
    severity: 'error',
    line: 1,
    column: 1,
    field: null,
    message: `the front matter could not be read: ${reason}, so nothing of the file is served`,
    hint: 'Look for a huge or deeply nested front matter, or thousands of keys; the limit is RENDER_TIMEOUT_MS.',
  };
}

let script: Promise<URL> | undefined;

/**
 * What a render worker runs: once built (`npm run build`), the compiled worker beside this module:
 * `render-worker.js` beside the modules of `dist/src/`, `render-worker.mjs` beside the bundled
 * service that `npm start` runs (`service.cjs`, scripts/bundle.ts). From source (tsx:
 * `npm run dev`, the tests) worker threads do not inherit the TypeScript loader, and loading the renderer
 * through tsx costs each worker about half a second of CPU; so the worker is bundled by esbuild
 * (the compiler tsx itself uses) into one file in a private temporary folder, once per process.
 * (Not a data: URL: every stack trace names its script, and a 2 MB name made Liquid's error
 * handling ten times slower.)
 */
function workerScript(): Promise<URL> {
  const compiled = /\.[cm]?js$/.exec(import.meta.url)?.[0];
  // The bundled service is a script (service.cjs), its worker an ES module (render-worker.mjs).
  if (compiled) return (script ??= Promise.resolve(new URL(`./render-worker${compiled === '.cjs' ? '.mjs' : compiled}`, import.meta.url)));
  return (script ??= bundleWorker().catch(() => new URL('./render-worker-entry.mjs', import.meta.url)));
}

async function bundleWorker(): Promise<URL> {
  const { build } = await import('esbuild');
  const entry = fileURLToPath(new URL('./render-worker.ts', import.meta.url));
  const folder = await mkdtemp(path.join(tmpdir(), 'render-worker-'));
  const outfile = path.join(folder, 'render-worker.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    // CommonJS dependencies in an ES module still call require(), for Node's built-in modules only
    // (everything else is in the bundle).
    banner: { js: `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(entry)});` },
  });
  // Nothing needs the file once the workers have loaded it, but they load it lazily: it goes at exit.
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  return pathToFileURL(outfile);
}
