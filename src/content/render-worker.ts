/**
 * A render worker: does the loader's heavy work on another core. It reads and parses the site's
 * own files when asked, makes the site's rules from the sources it is sent, and renders batches
 * of entries in the render context it is sent, answering each entry as soon as it is rendered
 * (the loader times every page).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ContentProblem } from '../model/problem.ts';
import type { PageEntry } from './entry.ts';
import { createPageRenderer, RenderProblem, type PageRenderer } from './render-page.ts';
import type { RenderOutcome, RenderReply, RenderRequest } from './render-pool.ts';
import type { SiteRules } from './site-rules.ts';
import { readSiteSources, siteRulesFrom } from './site-rules-loader.ts';

const { root } = workerData as { root: string };
let rules: SiteRules | undefined;
let renderPage: PageRenderer | undefined;
// Requests are handled one at a time, in order: a batch never starts before the context it needs.
let queue: Promise<void> = Promise.resolve();

// Requests waiting: a warm-up gives way to them (see warmUp).
let waiting = 0;

parentPort!.on('message', (request: RenderRequest) => {
  waiting += 1;
  queue = queue.then(() => {
    waiting -= 1;
    return handle(request);
  });
});
parentPort!.postMessage({ ready: true } satisfies RenderReply);

async function handle(request: RenderRequest): Promise<void> {
  if ('warmUp' in request) return warmUp(request.warmUp);
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
  for (const [index, entry] of request.entries.entries()) {
    let outcome: RenderOutcome;
    try {
      outcome = { ok: true, rendered: await renderPage!(entry) };
    } catch (error) {
      outcome = { ok: false, problem: error instanceof RenderProblem ? error.problem : crashProblem(entry.bodyLine, error) };
    }
    parentPort!.postMessage({ id: request.id, index, outcome } satisfies RenderReply);
  }
}

/**
 * Renders a few pages and keeps nothing: a fresh worker's first renders run unoptimized code (a
 * seed-sized page took 15-20 ms instead of 4), so the worker kept for live edits renders some of
 * the site's pages first, one at a time, stopping as soon as real work arrives.
 */
async function warmUp(entries: PageEntry[]): Promise<void> {
  for (const entry of entries) {
    if (waiting > 0 || !renderPage) return;
    await renderPage(entry).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
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
