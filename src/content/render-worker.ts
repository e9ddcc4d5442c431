/**
 * A render worker: renders page bodies for the loader on another core. It loads the site's rules
 * at once and says it is ready, then gets the render context (plain data) and batches of entries,
 * answering each entry as soon as it is rendered (the loader times every page).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPageRenderer, RenderProblem, type PageRenderer } from './render-page.ts';
import type { RenderOutcome, RenderReply, RenderRequest } from './render-pool.ts';
import { loadSiteRules } from './site-rules-loader.ts';

const rules = await loadSiteRules((workerData as { root: string }).root);
let renderPage: PageRenderer | undefined;
// Requests are handled one at a time, in order: a batch never starts before the context it needs.
let queue: Promise<void> = Promise.resolve();

parentPort!.on('message', (request: RenderRequest) => {
  queue = queue.then(() => handle(request));
});
parentPort!.postMessage({ ready: true } satisfies RenderReply);

async function handle(request: RenderRequest): Promise<void> {
  if ('context' in request) {
    renderPage = createPageRenderer(rules, request.context);
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

function crashProblem(line: number, error: unknown) {
  const name = error instanceof Error ? error.name : 'Error';
  return {
    code: 'render-failed', severity: 'error' as const, line, column: 1, field: null,
    message: `the page body could not be rendered (${name}), so the page is not served`,
    hint: 'Look for extremely deep nesting (lists, quotes, HTML) or a very long line in the body.',
  };
}
