import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { diagnoseContent } from './check-snapshot.ts';
import type { DiagnoseReply } from './diagnose-worker.ts';

/** Diagnostics computed off the event loop, once per snapshot. */
export interface BackgroundDiagnostics {
  /** The problems of a snapshot: computed by the worker the first time, then remembered. */
  diagnose(snapshot: Snapshot): Promise<readonly Diagnostic[]>;
  close(): Promise<void>;
}

/**
 * Runs the content checks of each version in a worker thread: parsing every page again for the
 * positions of what its author wrote takes seconds on a large site (a 4,000-section page alone
 * holds a thread for a second), which on the event loop would stall every request meanwhile.
 * The worker loads the folder itself (its own incremental loader); its answer is used when it
 * loaded the same version as the snapshot asked about, else the checks run here, in slices
 * (a rare race with a live edit).
 */
export function createBackgroundDiagnostics(dir: string): BackgroundDiagnostics {
  let worker: Worker | undefined;
  let nextId = 0;
  const waiting = new Map<number, (reply: DiagnoseReply) => void>();
  const computed = new WeakMap<Snapshot, Promise<readonly Diagnostic[]>>();
  const started = () => {
    if (worker) return worker;
    worker = new Worker(new URL('./diagnose-worker-entry.mjs', import.meta.url), { workerData: { dir } });
    worker.unref();
    worker.on('message', (reply: DiagnoseReply) => {
      waiting.get(reply.id)?.(reply);
      waiting.delete(reply.id);
    });
    worker.on('error', (error) => {
      for (const resolve of waiting.values()) resolve({ id: -1, error: error.message });
      waiting.clear();
      worker = undefined;
    });
    return worker;
  };
  const inWorker = (snapshot: Snapshot): Promise<readonly Diagnostic[]> =>
    new Promise<DiagnoseReply>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      started().postMessage({ id });
    }).then((reply) => ('diagnostics' in reply && reply.version === snapshot.version ? reply.diagnostics : diagnoseContent(snapshot, dir)));
  return {
    diagnose(snapshot) {
      let diagnostics = computed.get(snapshot);
      if (!diagnostics) {
        diagnostics = inWorker(snapshot);
        computed.set(snapshot, diagnostics);
        // A failed run is not kept: the next request tries again.
        diagnostics.catch(() => computed.delete(snapshot));
      }
      return diagnostics;
    },
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}
