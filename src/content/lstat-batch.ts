import { Worker } from 'node:worker_threads';

/** What lstat said of a path: its kind, size and time; or the error's code. */
export type LstatOutcome =
  | { kind: 'file' | 'symlink' | 'other'; size: number; mtimeMs: number }
  | { code: string };

/** Numbers per path in the worker's answer: kind (0 for an error), size, time. */
const FIELDS = 3;
const KINDS = [undefined, 'file', 'symlink', 'other'] as const;

/**
 * The worker's whole program: once given its paths, lstatSync each (3–4 µs each, where an
 * asynchronous lstat costs the calling thread 8–20 µs), then one answer of numbers, and the codes
 * of the errors.
 */
const PROGRAM = `
const { parentPort } = require('node:worker_threads');
const { lstatSync } = require('node:fs');
parentPort.once('message', (paths) => {
  const numbers = new Float64Array(paths.length * ${FIELDS});
  const codes = [];
  for (let at = 0; at < paths.length; at++) {
    try {
      const info = lstatSync(paths[at]);
      numbers.set([info.isFile() ? 1 : info.isSymbolicLink() ? 2 : 3, info.size, info.mtimeMs], at * ${FIELDS});
    } catch (error) {
      codes.push([at, typeof error.code === 'string' ? error.code : 'EIO']);
    }
  }
  parentPort.postMessage({ numbers, codes }, [numbers.buffer]);
});
`;

/**
 * A worker thread that takes the lstat of many paths at once, started before they are known: a
 * worker's start is most of the 40–70 ms it takes, and goes on while the folder is listed.
 */
export interface LstatWorker {
  /** lstat of `paths`, as {@link lstatInWorker} gives it; once per worker, which then ends. */
  lstat(paths: readonly string[]): Promise<LstatTable>;
  /** Ends the worker if it was never asked (a folder too small to be worth it). */
  stop(): void;
}

/**
 * Where {@link startLstatWorkerEarly} leaves its worker for the service to take: a global, since
 * the launcher and the service are two bundles, each with its own copy of this module.
 */
const EARLY = Symbol.for('content-api.early-lstat-worker');
const slot = globalThis as { [EARLY]?: LstatWorker };

/**
 * Starts a worker now, for the first {@link startLstatWorker} to take: src/launch.ts calls it
 * before it evaluates the service, so that the worker's start runs on another core while the
 * main thread is busy with that, instead of beside the warm start's own work (the first load of
 * a start with a render cache, the default, asks for a worker as it lists the folder).
 */
export function startLstatWorkerEarly(): void {
  slot[EARLY] ??= newLstatWorker();
}

/** Ends the early worker if no one took it (a first load that needs none). */
export function stopEarlyLstatWorker(): void {
  slot[EARLY]?.stop();
  delete slot[EARLY];
}

/** A worker: the one started early if it is still there, else a new one. */
export function startLstatWorker(): LstatWorker {
  const early = slot[EARLY];
  delete slot[EARLY];
  return early ?? newLstatWorker();
}

function newLstatWorker(): LstatWorker {
  const worker = new Worker(PROGRAM, { eval: true });
  // Waiting for its paths keeps no process running; asked, it does until it answers.
  worker.unref();
  let failure: Error | undefined;
  let answer: { resolve: (table: LstatTable) => void; reject: (error: Error) => void } | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    answer?.reject(failure);
  };
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`the lstat worker stopped (exit code ${code})`)));
  worker.once('message', ({ numbers, codes }: { numbers: Float64Array; codes: [number, string][] }) => {
    void worker.terminate();
    answer?.resolve(new LstatTable(numbers, new Map(codes)));
  });
  return {
    lstat(paths) {
      if (answer) return Promise.reject(new Error('the lstat worker was asked already'));
      return new Promise<LstatTable>((resolve, reject) => {
        answer = { resolve, reject };
        if (failure) return reject(failure);
        worker.ref();
        worker.postMessage(paths);
      });
    },
    stop() {
      if (!answer) void worker.terminate();
    },
  };
}

/**
 * lstat of many paths at once on a short-lived worker thread, so that a warm start's 10,000 looks
 * cost the event loop one message instead of 10,000 callbacks (about 150 ms of the main thread).
 * The answer is read as it came, numbers by place, without an object for each path. Rejects if the
 * worker fails; the caller then looks at each file itself.
 */
export function lstatInWorker(paths: readonly string[], worker: LstatWorker = startLstatWorker()): Promise<LstatTable> {
  return worker.lstat(paths);
}

/** What the worker said of each path, by its place in the paths it was given. */
export class LstatTable {
  constructor(
    private readonly numbers: Float64Array,
    private readonly codes: ReadonlyMap<number, string>,
  ) {}

  /** The error's code, if lstat failed for the path at `at`. */
  code(at: number): string | undefined {
    return this.codes.get(at);
  }

  /** What lstat found at `at`, when it did not fail. */
  kind(at: number): 'file' | 'symlink' | 'other' {
    return KINDS[this.numbers[at * FIELDS]] ?? 'other';
  }

  size(at: number): number {
    return this.numbers[at * FIELDS + 1];
  }

  mtimeMs(at: number): number {
    return this.numbers[at * FIELDS + 2];
  }

  /** The outcome at `at` as one object (for a path looked at alone). */
  outcome(at: number): LstatOutcome {
    const code = this.code(at);
    return code === undefined ? { kind: this.kind(at), size: this.size(at), mtimeMs: this.mtimeMs(at) } : { code };
  }
}
