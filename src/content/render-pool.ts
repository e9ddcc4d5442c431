import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PageEntry } from './entry.ts';
import type { RenderContext, RenderedPage } from './render-page.ts';

export type RenderOutcome = { ok: true; rendered: RenderedPage } | { ok: false; error: string };

const BATCH_SIZE = 16;

/**
 * Renders many pages across all cores: one worker per core, each fed small batches so the work
 * stays balanced. Used for cold loads of large sites; small updates render in the main thread.
 */
export async function renderInWorkers(root: string, context: RenderContext, entries: PageEntry[], threads = availableParallelism()): Promise<RenderOutcome[]> {
  const outcomes: RenderOutcome[] = new Array(entries.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(threads, Math.ceil(entries.length / BATCH_SIZE))) }, () =>
    new Worker(new URL('./render-worker-entry.mjs', import.meta.url), { workerData: { root, context } }));
  try {
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= entries.length) {
          resolve();
          return;
        }
        const id = next;
        next += BATCH_SIZE;
        worker.postMessage({ id, entries: entries.slice(id, id + BATCH_SIZE) });
      };
      worker.on('message', (message: { ready?: true; id?: number; results?: RenderOutcome[] }) => {
        if (message.results) message.results.forEach((outcome, index) => (outcomes[message.id! + index] = outcome));
        feed();
      });
      worker.once('error', reject);
    })));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes;
}
