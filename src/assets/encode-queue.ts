/** Thrown when the {@link EncodeQueue} refuses a job: as many are encoding and waiting as it holds. */
export class EncodeQueueFull extends Error {}

/** Image encodes, a few at a time, with a short line of waiting ones. */
export interface EncodeQueue {
  /** Runs `job` when a place is free; rejects at once with EncodeQueueFull when the line is full too. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs running now. */
  readonly running: number;
  /** Jobs waiting for a place. */
  readonly waiting: number;
}

/**
 * At most `concurrency` jobs run at once (each an encode on a libvips thread, so this bounds the
 * cores image variants take), and at most `maxWaiting` wait, in arrival order. Beyond that a job
 * is refused at once (the route answers 503 with Retry-After) rather than left to wait for
 * seconds behind others: a burst of new variants degrades into refusals, never into a backlog
 * that holds every waiting request's source image in memory.
 */
export function createEncodeQueue({ concurrency, maxWaiting }: { concurrency: number; maxWaiting: number }): EncodeQueue {
  const line: (() => void)[] = [];
  let running = 0;
  const next = () => {
    running--;
    line.shift()?.();
  };
  return {
    run<T>(job: () => Promise<T>): Promise<T> {
      if (running >= concurrency && line.length >= maxWaiting) return Promise.reject(new EncodeQueueFull());
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          running++;
          // The place is freed before the caller hears back, and a job that throws before its
          // first await (the async wrapper catches it) frees it too.
          (async () => job())().then(
            (value) => {
              next();
              resolve(value);
            },
            (error: unknown) => {
              next();
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        };
        if (running < concurrency) start();
        else line.push(start);
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
  };
}
