import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PageEntry } from './entry.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { RenderContext } from './render-page.ts';
import type { RenderedPage } from './rendered-page.ts';
import type { SiteSources } from './site-rules-loader.ts';

/** A page rendered, or the one problem that kept it from rendering (deadline, depth, crash). */
export type RenderOutcome = { ok: true; rendered: RenderedPage } | { ok: false; problem: ContentProblem };

/**
 * What the loader sends a render worker: a request to read the site's own files; the site's
 * sources (its rules are made from them); the render context; batches of entries.
 */
export type RenderRequest =
  | { readSite: true }
  | { site: SiteSources; siteKey: string }
  | { context: RenderContext }
  | { id: number; entries: PageEntry[] }
  | { warmUp: PageEntry[] };
/** What a worker sends back: that it is ready, the site's sources when asked, one reply per entry. */
export type RenderReply =
  | { ready: true }
  | { site: SiteSources }
  | { siteError: string }
  | { id: number; index: number; outcome: RenderOutcome }
  | { id: number; index: number; checking: true };

/** Everything a batch of pages renders against: the site's rules (as sources) and the context. */
export interface RenderInputs {
  site: SiteSources;
  /** Names `site`: a worker makes its rules again only when it changes. */
  siteKey: string;
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
  /** Workers kept running between renders (1 for live reloads, 0 to free their memory). */
  keepWarm?: number;
  /**
   * How many times longer than on an idle machine a render takes now (default: from the load
   * average, see {@link machineContention}); page deadlines are stretched by it.
   */
  contention?: () => number;
}

const BATCH_SIZE = 16;
/** Milliseconds a worker may take to start (not counted against any page). */
const START_TIMEOUT_MS = 60_000;
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
  /** Pages rendered since it started: a worker kept warm after a whole site is replaced by a fresh one. */
  rendered: number;
  /** Whether it was sent the warm-up sample. */
  warmedUp?: boolean;
  /** Whether it is rendering a batch (it is not replaced meanwhile). */
  busy?: boolean;
}

/**
 * Pages past which a worker kept warm between loads is replaced by a fresh one: rendering a site
 * leaves a worker holding hundreds of megabytes it does not give back, and a live edit needs a
 * few.
 */
const RECYCLE_AFTER_PAGES = 256;
/** Pages a fresh warm worker renders to warm up (its code is optimized after some). */
const WARM_UP_PAGES = 48;
/** Milliseconds after a load before the warm worker is replaced, started or warmed up. */
const WARM_DELAY_MS = 200;

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
  let warmUpSample: readonly PageEntry[] = [];
  let warming: NodeJS.Timeout | undefined;

  async function spawn(): Promise<Slot> {
    const script = await workerScript();
    const worker = new Worker(script, {
      workerData: { root: options.root },
      // A larger young generation: parsing makes many short-lived objects, and scavenging them
      // took a third of a large page's render time at the default size.
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512, maxYoungGenerationSizeMb: 96 },
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
    const slot: Slot = { worker, ready, exited: false, rendered: 0 };
    worker.once('exit', () => (slot.exited = true));
    return slot;
  }

  /**
   * Reads and parses the site's own files (config, data, includes, menus) on a worker: a large
   * data file takes hundreds of milliseconds to parse, which the main thread must not spend.
   */
  async function readSite(): Promise<SiteSources> {
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

  /** Renders the entries with the inputs; outcomes in the order of the entries. */
  async function render(inputs: RenderInputs, entries: readonly PageEntry[]): Promise<RenderOutcome[]> {
    await replacing;
    lastInputs = inputs;
    const outcomes = new Array<RenderOutcome>(entries.length);
    if (entries.length === 0) {
      release();
      return outcomes;
    }
    // Work is handed out by position; a batch cut short by a timeout puts the rest back first.
    const queue: number[][] = [];
    for (let start = 0; start < entries.length; start += BATCH_SIZE) {
      queue.push(Array.from({ length: Math.min(BATCH_SIZE, entries.length - start) }, (_, i) => start + i));
    }
    const wanted = Math.min(threads, queue.length);
    while (slots.length < wanted) slots.push(await spawn());

    const drive = async (slotIndex: number, budgetFactor = 1): Promise<void> => {
      while (queue.length > 0 && !closed) {
        if (slots[slotIndex].exited) slots[slotIndex] = await spawn();
        const slot = slots[slotIndex];
        try {
          await slot.ready;
        } catch {
          // A worker that cannot start at all: fail what is left rather than loop.
          for (const batch of queue.splice(0)) for (const at of batch) outcomes[at] = failed(entries[at], 'render-failed', 'the render worker could not start');
          return;
        }
        const batch = queue.shift();
        // Another worker may have taken the last batch while this one was starting.
        if (!batch) return;
        const timeoutMs = options.timeoutMs * budgetFactor;
        slot.busy = true;
        const leftover = await runBatch(slot, inputs, batch, entries, outcomes, (entry) => budgetFor(entry, timeoutMs) * contention()).finally(() => (slot.busy = false));
        if (leftover) {
          // The worker was stopped: replace it, and give back what it did not get to.
          void slot.worker.terminate();
          slots[slotIndex] = await spawn();
          if (leftover.length > 0) queue.unshift(leftover);
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
  }

  /**
   * Between loads only the warm workers stay: the rest give their memory back, and so does a warm
   * one that rendered many pages (it is replaced by a fresh one, sent the last inputs at once).
   */
  function release() {
    for (const slot of slots.splice(keepWarm)) void slot.worker.terminate();
  }

  /** Replaces a warm worker by a fresh one; renders wait for it (see `replacing`). */
  function replace(index: number, slot: Slot) {
    void slot.worker.terminate();
    replacing = Promise.all([replacing, spawn().then((fresh) => {
      if (lastInputs) prime(fresh, lastInputs);
      warmUp(fresh);
      slots[index] = fresh;
    })]).then(() => undefined, () => undefined);
  }

  /**
   * Once a load is done (a moment later, so that its first requests come first): the workers
   * kept warm are running, a warm one that rendered a whole site is replaced by a fresh one, and
   * each has the site and context of these inputs, so that the next live edit renders at once
   * (after a warm start, nothing was rendered); a worker that has not rendered yet renders
   * `sample` (pages that rendered before) to warm up.
   */
  function warm(inputs: RenderInputs, sample: readonly PageEntry[] = []) {
    lastInputs = inputs;
    warmUpSample = sample.slice(0, WARM_UP_PAGES);
    if (keepWarm === 0 || closed) return;
    clearTimeout(warming);
    warming = setTimeout(() => {
      for (const [index, slot] of slots.entries()) if (slot.rendered > RECYCLE_AFTER_PAGES && !slot.busy && !closed) replace(index, slot);
      replacing = replacing.then(async () => {
        while (slots.length < keepWarm && !closed) slots.push(await spawn());
        for (const slot of slots) {
          prime(slot, inputs);
          warmUp(slot);
        }
      }).catch(() => undefined);
    }, WARM_DELAY_MS);
    warming.unref();
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

  /** Has a worker that rendered nothing yet render the warm-up sample (it stops as soon as real work arrives). */
  function warmUp(slot: Slot) {
    if (slot.rendered > 0 || slot.warmedUp || warmUpSample.length === 0) return;
    slot.warmedUp = true;
    slot.worker.postMessage({ warmUp: [...warmUpSample] } satisfies RenderRequest);
  }

  async function close(): Promise<void> {
    closed = true;
    clearTimeout(warming);
    await replacing;
    await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  return { readSite, render, warm, prepare, close };
}

export type RenderPool = ReturnType<typeof createRenderPool>;

/**
 * Sends one batch to a worker and collects one reply per entry. Resolves with undefined when the
 * batch is done, or, when the worker had to be stopped, with the entries it did not get to (the
 * entry it was on has its outcome set to the problem).
 */
function runBatch(slot: Slot, inputs: RenderInputs, batch: number[], entries: readonly PageEntry[], outcomes: RenderOutcome[], budgetOf: (entry: PageEntry) => number): Promise<number[] | undefined> {
  return new Promise((resolve) => {
    const { worker } = slot;
    const id = batch[0];
    let answered = 0;
    let timer: NodeJS.Timeout;
    const finish = (result: number[] | undefined) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(result);
    };
    const stop = (code: 'render-timeout' | 'render-failed', reason: string) => {
      const at = batch[answered];
      outcomes[at] = failed(entries[at], code, reason);
      finish(batch.slice(answered + 1));
    };
    const arm = () => {
      clearTimeout(timer);
      const budget = Math.round(budgetOf(entries[batch[answered]]));
      timer = setTimeout(() => stop('render-timeout', `rendering took longer than ${budget} ms`), budget);
    };
    const onMessage = (reply: RenderReply) => {
      if (!('id' in reply) || reply.id !== id) return;
      // Rendered; what the checks need is parsed next, under a deadline of its own.
      if ('checking' in reply) return arm();
      outcomes[batch[reply.index]] = reply.outcome;
      answered = reply.index + 1;
      if (answered === batch.length) finish(undefined);
      else arm();
    };
    const onError = (error: Error & { code?: string }) => {
      stop('render-failed', error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'rendering ran out of memory' : 'the renderer crashed');
    };
    const onExit = () => stop('render-failed', 'the renderer stopped');
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    prime(slot, inputs);
    slot.rendered += batch.length;
    worker.postMessage({ id, entries: batch.map((at) => entries[at]) } satisfies RenderRequest);
    arm();
  });
}

/** Sends a worker the site and render context it does not have yet. */
function prime(slot: Slot, inputs: RenderInputs): void {
  if (slot.siteKey !== inputs.siteKey) {
    slot.worker.postMessage({ site: inputs.site, siteKey: inputs.siteKey } satisfies RenderRequest);
    slot.siteKey = inputs.siteKey;
    slot.context = undefined;
  }
  if (slot.context !== inputs.context) {
    slot.worker.postMessage({ context: inputs.context } satisfies RenderRequest);
    slot.context = inputs.context;
  }
}

/** Body bytes each RENDER_TIMEOUT_MS of budget covers. */
const BYTES_PER_BUDGET = 128 * 1024;

/**
 * A page's render budget: RENDER_TIMEOUT_MS for every 128 KB of body (started). Pathological
 * pages are small inputs that take superlinear time, and stop at the first budget; a large but
 * ordinary page (a long FAQ, a 600 KB changelog) renders in time proportional to its size and
 * gets time in proportion. The 1 MB file cap bounds the largest budget at eight.
 */
export function budgetFor(entry: PageEntry, timeoutMs: number): number {
  return timeoutMs * Math.max(1, Math.ceil(Buffer.byteLength(entry.body) / BYTES_PER_BUDGET));
}

function failed(entry: PageEntry, code: 'render-timeout' | 'render-failed', reason: string): RenderOutcome {
  return {
    ok: false,
    problem: {
      code,
      severity: 'error',
      line: entry.bodyLine,
      column: 1,
      field: null,
      message: `the page body could not be rendered: ${reason}, so the page is not served`,
      hint: code === 'render-timeout'
        ? 'Look for a Liquid loop over a huge range, an include that includes itself, or extremely deep nesting; the limit is RENDER_TIMEOUT_MS.'
        : 'Look for extremely deep nesting (lists, quotes, HTML), a very long line, or a Liquid loop that builds a huge output.',
    },
  };
}

let script: Promise<URL> | undefined;

/**
 * What a render worker runs: the compiled worker beside this module (`npm run build`, what
 * `npm start` runs). From source (tsx: `npm run dev`, the tests) worker threads do not inherit
 * the TypeScript loader, and loading the renderer through tsx costs each worker about half a
 * second of CPU; so the worker is bundled by esbuild (the compiler tsx itself uses) into one
 * file in a private temporary folder, once per process. (Not a data: URL: every stack trace
 * names its script, and a 2 MB name made Liquid's error handling ten times slower.)
 */
function workerScript(): Promise<URL> {
  if (import.meta.url.endsWith('.js')) return (script ??= Promise.resolve(new URL('./render-worker.js', import.meta.url)));
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
