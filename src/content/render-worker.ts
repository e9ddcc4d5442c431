/**
 * A render worker: renders page bodies for the loader on another core. It loads the site's rules
 * at once, then gets the render context (plain data) and answers batches of entries.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPageRenderer, type PageRenderer } from './render-page.ts';
import type { RenderOutcome, RenderReply, RenderRequest } from './render-pool.ts';
import { loadSiteRules } from './site-rules-loader.ts';

const rules = await loadSiteRules((workerData as { root: string }).root);
let renderPage: PageRenderer | undefined;

parentPort!.on('message', async (request: RenderRequest) => {
  if ('context' in request) {
    renderPage = createPageRenderer(rules, request.context);
    return;
  }
  const results: RenderOutcome[] = [];
  for (const entry of request.entries) {
    try {
      results.push({ ok: true, rendered: await renderPage!(entry) });
    } catch (error) {
      results.push({ ok: false, error: (error as Error).name });
    }
  }
  parentPort!.postMessage({ id: request.id, results } satisfies RenderReply);
});
