/**
 * A render worker: does the loader's heavy work on another core. It reads and parses the site's
 * own files when asked, makes the site's rules from the sources it is sent, reads the front
 * matter of batches of source files under those rules, and renders batches of entries in the
 * render context it is sent, answering each file or entry as soon as it is done (the loader
 * times every one).
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ContentProblem } from '../model/problem.ts';
import { readEntry, readSourceSync, textUnavailable, withBody, type PageSource, type RenderSource, type SourceText } from './entry.ts';
import { createPageRenderer, RenderProblem, type PageRenderer } from './render-page.ts';
import type { ParseOutcome, RenderOutcome, RenderReply, RenderRequest } from './render-pool.ts';
import type { SiteRules } from './site-rules.ts';
import { WorkerSignal } from './worker-signal.ts';
import { readSiteSources, siteRulesFrom } from './site-rules-loader.ts';

const { root, stop, givingWay } = workerData as { root: string; stop: Int32Array; givingWay: Int32Array };
/** The nice value of a render worker's thread (see yieldToServing): 0 is the process's usual, 19 the lowest. */
const RENDER_NICE = 10;

/**
 * Exits once the pool has asked (see stopWorker in render-pool.ts): checked before each page or
 * source, so that the worker never ends in the middle of one.
 */
function exitIfAsked(): void {
  if (Atomics.load(stop, 0) === 1) process.exit(0);
}
/**
 * What the pool asks before the next page of a render (see WorkerSignal): go on, go on after
 * waiting while a live edit is served (see giveWay in render-pool.ts; the pool ends every wait
 * within a fraction of a second, and each sleep is bounded besides), or hand the rest of the
 * batch back, for a render a live edit waits for (see renderAlongside). Read between two pages,
 * never in the middle of one.
 */
function nextTurn(): 'go' | 'gave-way' | 'hand-back' {
  let waited = false;
  for (;;) {
    const signal = Atomics.load(givingWay, 0);
    if (signal === WorkerSignal.handBack) return 'hand-back';
    if (signal !== WorkerSignal.wait) return waited ? 'gave-way' : 'go';
    waited = true;
    Atomics.wait(givingWay, 0, WorkerSignal.wait, 50);
  }
}
/** The body of a page to render, read from its file if the load did not keep it (see RenderSource). */
const bodyOf = (source: RenderSource) => withBody(source, (file) => readSourceSync(root, file));
let rules: SiteRules | undefined;
let renderPage: PageRenderer | undefined;
// Requests are handled one at a time, in order: a batch never starts before the context it needs.
let queue: Promise<void> = Promise.resolve();

// Requests waiting: a warm-up gives way to them (see warmUp).
let waiting = 0;
// Set while the loader has a load under way (see RenderPool.holdWarmUp): a warm-up waits meanwhile.
let warmUpHeld = false;
let wakeWarmUp: (() => void) | undefined;

parentPort!.on('message', (request: RenderRequest) => {
  if ('stop' in request) process.exit(0);
  if ('warmUpHeld' in request) {
    warmUpHeld = request.warmUpHeld;
    if (!warmUpHeld) wakeWarmUp?.();
    return;
  }
  waiting += 1;
  wakeWarmUp?.();
  queue = queue.then(() => {
    waiting -= 1;
    return handle(request);
  });
});
yieldToServing();
parentPort!.postMessage({ ready: true } satisfies RenderReply);

/**
 * Gives this thread a lower scheduling priority than the main thread's ({@link RENDER_NICE}):
 * when the cores are busy, requests and live edits come before renders. A first load renders
 * for seconds on every core after its listing is served (see load/listing.ts), and at the same
 * priority the main thread waited its turn behind the workers: at 10,000 seed pages on 2 cores,
 * five saves made while the load after a resumed listing rendered were served a median of
 * 41–71 ms after the rename (six runs; the save's file event alone came 8–28 ms late), and of
 * 22–32 ms with the workers at a nice of 10 (four runs; 31–39 ms at 5). The renders lose nothing
 * while the main thread idles. Linux keeps a nice value per thread, which /proc/thread-self
 * names; elsewhere, or where it cannot be read, the worker keeps the process's priority.
 */
function yieldToServing(): void {
  try {
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(thread) && thread > 0) setPriority(thread, Math.max(getPriority(thread), RENDER_NICE));
  } catch {
    // Not Linux, or not allowed: the same priority as the main thread.
  }
}

async function handle(request: Exclude<RenderRequest, { warmUpHeld: boolean } | { stop: true }>): Promise<void> {
  if ('warmUp' in request) return warmUp(request.warmUp, request.rounds);
  if ('readSite' in request) {
    try {
      parentPort!.postMessage({ site: await readSiteSources(root) } satisfies RenderReply);
    } catch (error) {
      parentPort!.postMessage({ siteError: (error as Error).message } satisfies RenderReply);
    }
    return;
  }
  if ('site' in request) {
    rules = siteRulesFrom(request.site);
    renderPage = undefined;
    return;
  }
  if ('context' in request) {
    renderPage = createPageRenderer(rules!, request.context);
    return;
  }
  if ('sources' in request) return parseSources(request.id, request.sources, request.rulesKey);
  for (const [index, source] of request.entries.entries()) {
    // A render for a live edit (the batch that may not be handed back) never waits.
    const turn = request.mayHandBack ? nextTurn() : 'go';
    if (turn === 'hand-back') return parentPort!.postMessage({ id: request.id, index, handedBack: true } satisfies RenderReply);
    // The page's deadline is set again once the worker goes on.
    if (turn === 'gave-way') parentPort!.postMessage({ id: request.id, index, gaveWay: true } satisfies RenderReply);
    exitIfAsked();
    let outcome: RenderOutcome;
    try {
      const entry = bodyOf(source);
      // The parse the content checks may need gets a deadline of its own (see runBatch).
      const beforeChecks = () => parentPort!.postMessage({ id: request.id, index, checking: true } satisfies RenderReply);
      outcome = entry ? { ok: true, rendered: await renderPage!(entry, { beforeChecks }) } : { ok: false, problem: textUnavailable() };
    } catch (error) {
      outcome = { ok: false, problem: error instanceof RenderProblem ? error.problem : crashProblem(source.entry.bodyLine, error) };
    }
    parentPort!.postMessage({ id: request.id, index, outcome } satisfies RenderReply);
  }
}

/** Reads the front matter of each source file under the site's rules, as the main thread would (see load/parse.ts). */
function parseSources(id: number, sources: SourceText[], rulesKey: string): void {
  for (const [index, source] of sources.entries()) {
    exitIfAsked();
    let parsed: ParseOutcome;
    try {
      parsed = { ok: true, read: readEntry(rules!, source.file, source.text, source.modified, rulesKey) };
    } catch (error) {
      parsed = { ok: false, problem: parseCrashProblem(error) };
    }
    parentPort!.postMessage({ id, index, parsed } satisfies RenderReply);
  }
}

/**
 * Renders a few pages `rounds` times and keeps nothing: a fresh worker's first renders run
 * unoptimized code (a seed-sized page took 15-20 ms instead of 4), so the worker kept for live
 * edits renders some of the site's pages first, one at a time, stopping as soon as real work
 * arrives and waiting while a load is under way. Says how many it rendered once it ends.
 */
async function warmUp(sources: RenderSource[], rounds: number): Promise<void> {
  let rendered = 0;
  try {
    const entries = sources.map(bodyOf).filter((entry): entry is PageSource => entry !== undefined);
    for (let round = 0; round < rounds; round++) {
      for (const entry of entries) {
        while (warmUpHeld && waiting === 0) await new Promise<void>((resolve) => (wakeWarmUp = resolve));
        if (waiting > 0 || !renderPage) return;
        exitIfAsked();
        await renderPage(entry).catch(() => undefined);
        rendered += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    parentPort!.postMessage({ warmedUp: rendered } satisfies RenderReply);
  }
}

function crashProblem(line: number, error: unknown): ContentProblem {
  const name = error instanceof Error ? error.name : 'Error';
  return {
    code: 'render-failed', severity: 'error' as const, line, column: 1, field: null,
    message: `the page body could not be rendered (${name}), so the page is not served`,
    hint: 'Look for extremely deep nesting (lists, quotes, HTML) or a very long line in the body.',
  };
}

/** readEntry turns every problem of a file into data; a throw is a bug or an exhausted stack, and stays with its file. */
function parseCrashProblem(error: unknown): ContentProblem {
  const name = error instanceof Error ? error.name : 'Error';
  return {
    code: 'front-matter-failed', severity: 'error' as const, line: 1, column: 1, field: null,
    message: `the front matter could not be read (${name}), so nothing of the file is served`,
    hint: 'Look for a huge or deeply nested front matter.',
  };
}
