import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { PageEntry } from './entry.ts';
import type { RenderContext, RenderedPage } from './render-page.ts';

export type RenderOutcome = { ok: true; rendered: RenderedPage } | { ok: false; error: string };

/** What the loader sends a render worker: the render context, then batches of entries. */
export type RenderRequest = { context: RenderContext } | { id: number; entries: PageEntry[] };
export type RenderReply = { id: number; results: RenderOutcome[] };

const BATCH_SIZE = 16;

/**
 * One render worker per core, started before they are needed, so they load the renderer while
 * the loader is still reading files. Each is fed small batches so the work stays balanced. Used
 * for cold loads of large sites; small updates render in the main thread.
 */
export function startRenderPool(root: string, threads = availableParallelism()) {
  const starting = workerScript().then((script) => Array.from({ length: Math.max(1, threads) }, () => new Worker(script, { workerData: { root } })));

  /** Renders the entries in the context, in order of the entries. Call once per pool. */
  async function render(context: RenderContext, entries: PageEntry[]): Promise<RenderOutcome[]> {
    const workers = await starting;
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
    await Promise.all((await starting).map((worker) => worker.terminate()));
  }

  return { render, close };
}

export type RenderPool = ReturnType<typeof startRenderPool>;

let script: Promise<URL> | undefined;

/**
 * What a render worker runs. Worker threads do not inherit tsx from the main thread, and loading
 * the renderer through tsx costs each worker about half a second of CPU; so the worker and everything
 * it imports are bundled into one module by esbuild (the compiler tsx itself uses), once per
 * process, and handed to the workers as a data: URL (no file is written). Should bundling fail,
 * workers load through tsx instead.
 */
function workerScript(): Promise<URL> {
  return (script ??= bundleWorker().catch(() => new URL('./render-worker-entry.mjs', import.meta.url)));
}

async function bundleWorker(): Promise<URL> {
  const entry = fileURLToPath(new URL('./render-worker.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    // CommonJS dependencies in an ES module still call require(), for Node's built-in modules only
    // (everything else is in the bundle).
    banner: { js: `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(entry)});` },
  });
  return new URL(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].contents).toString('base64')}`);
}
