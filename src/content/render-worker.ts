/**
 * A render worker: renders page bodies for the loader on another core. It rebuilds the site's
 * rules and the render context from plain data, then answers batches of entries.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PageEntry } from './entry.ts';
import { createPageRenderer, type RenderContext } from './render-page.ts';
import { loadSiteRules } from './site-rules-loader.ts';

const { root, context } = workerData as { root: string; context: RenderContext };
const renderPage = createPageRenderer(await loadSiteRules(root), context);

parentPort!.on('message', async (batch: { id: number; entries: PageEntry[] }) => {
  const results = [];
  for (const entry of batch.entries) {
    try {
      results.push({ ok: true as const, rendered: await renderPage(entry) });
    } catch (error) {
      results.push({ ok: false as const, error: (error as Error).name });
    }
  }
  parentPort!.postMessage({ id: batch.id, results });
});
parentPort!.postMessage({ ready: true });
