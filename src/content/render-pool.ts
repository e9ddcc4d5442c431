import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PageEntry } from './entry.ts';
import type { RenderContext, RenderedPage } from './render-page.ts';

export type RenderOutcome = { ok: true; rendered: RenderedPage } | { ok: false; error: string };

/** What the loader sends a render worker: the render context, then batches of entries. */
export type RenderRequest = { context: RenderContext } | { id: number; entries: PageEntry[] };
export type RenderReply = { id: number; results: RenderOutcome[] };

const BATCH_SIZE = 16;

/**
 * One render worker per core, started before they are needed: a worker takes most of a second
 * to load the renderer, which it does while the loader is still reading files. Each is fed small
 * batches so the work stays balanced. Used for cold loads of large sites; small updates render
 * in the main thread.
 */
export function startRenderPool(root: string, threads = availableParallelism()) {
  const workers = Array.from({ length: Math.max(1, threads) }, () =>
    new Worker(new URL('./render-worker-entry.mjs', import.meta.url), { workerData: { root } }));

  /** Renders the entries in the context, in order of the entries. Call once per pool. */
  async function render(context: RenderContext, entries: PageEntry[]): Promise<RenderOutcome[]> {
    const outcomes: RenderOutcome[] = new Array(entries.length);
    let next = 0;
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= entries.length) {
          resolve();
          return;
        }
        const id = next;
        next += BATCH_SIZE;
        worker.postMessage({ id, entries: entries.slice(id, id + BATCH_SIZE) } satisfies RenderRequest);
      };
      worker.on('message', (reply: RenderReply) => {
        reply.results.forEach((outcome, index) => (outcomes[reply.id + index] = outcome));
        feed();
      });
      worker.once('error', reject);
      worker.postMessage({ context } satisfies RenderRequest);
      feed();
    })));
    return outcomes;
  }

  async function close(): Promise<void> {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  return { render, close };
}

export type RenderPool = ReturnType<typeof startRenderPool>;
