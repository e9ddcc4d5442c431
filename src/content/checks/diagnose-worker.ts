import { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import { createContentLoader } from '../load.ts';
import { diagnoseContent, type ReadOptions } from './check-snapshot.ts';

/** What the service asks the diagnostics worker: check the folder as it is now. */
export interface DiagnoseRequest {
  id: number;
}

/** The worker's answer: the problems of the version it loaded, or why it could not. */
export type DiagnoseReply = { id: number; version: string; diagnostics: Diagnostic[] } | { id: number; error: string };

// The worker keeps its own loader (incremental, like the service's: a live edit re-reads one
// file) with one render worker: it runs beside the service's own, so it takes one core at most.
if (parentPort) {
  const port = parentPort;
  const { dir } = workerData as { dir: string };
  const loader = createContentLoader(dir, { renderThreads: 1, keepWorkerWarm: true });
  const parsed: ReadOptions['parsed'] = new Map();
  let queue: Promise<void> = Promise.resolve();
  port.on('message', ({ id }: DiagnoseRequest) => {
    queue = queue.then(async () => {
      let reply: DiagnoseReply;
      try {
        const snapshot = await loader.load();
        reply = { id, version: snapshot.version, diagnostics: await diagnoseContent(snapshot, dir, { parsed }) };
      } catch (error) {
        reply = { id, error: (error as Error).message };
      }
      port.postMessage(reply);
    });
  });
}
