import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Milliseconds between two looks at whether the main thread has gone quiet. */
export const QUIET_CHECK_MS = 1000;
/** Most of the event loop's time a check interval may have used and still count as quiet. */
export const QUIET_UTILIZATION = 0.05;
/**
 * Collections asked for after one content version at most: V8 judges the allocation rate over
 * its collections of the last 5 s or so, so the space is made smaller from the fifth or sixth
 * quiet second on.
 */
export const MAX_COLLECTIONS = 8;

export interface IdleCollection {
  /** A new content version was installed (its load allocated): look for a quiet moment again. */
  arm(): void;
  /** Young-generation collections asked for so far. */
  collections(): number;
  /** Whether it is still looking for quiet moments (the space was not made smaller yet, and collections are left). */
  armed(): boolean;
  stop(): void;
}

/**
 * Gives the main thread's young generation back once the service goes quiet after a load.
 *
 * Why: a load allocates hundreds of megabytes on the main thread, so V8 grows its young
 * generation to the largest it allows (32 MB on Node 20; 128 MB on Node 24 in a test). V8 makes
 * it smaller again only at a collection that finds the allocation rate low, and a service that
 * has gone quiet allocates too little to have one: the young generation then stays committed for
 * as long as nobody asks for much. At 10,000 seed pages, on Node 20, one young-generation
 * collection 15 s after a cold start took its space from 33.6 to 1 MB and the process's resident
 * memory from 347 to 320 MB.
 *
 * So, after each version, once a check interval passes with the event loop busy less than
 * {@link QUIET_UTILIZATION} of the time, a young-generation collection is asked for (a few
 * milliseconds: what is left in a quiet young generation is small), and again each quiet interval
 * until V8 has made the space smaller, at most {@link MAX_COLLECTIONS} times (V8 judges the rate
 * over its last few seconds of collections, so the first ones may not do it). A busy service is
 * left to V8: its collections come on their own, and it sizes the young generation for the
 * traffic; the check goes on once a second (an unreferenced timer, a few microseconds) until a
 * quiet moment comes or the next version re-arms it.
 *
 * V8 lets JavaScript ask for a collection only through `--expose-gc`: the flag is set just long
 * enough to make one context that has `gc` (synchronously, once), so the main context and those
 * made later (render workers') do not get it. Where that is not possible, nothing is done.
 */
export function collectWhenQuiet(options: { checkMs?: number } = {}): IdleCollection {
  const collect = youngGenerationCollector();
  const checkMs = options.checkMs ?? QUIET_CHECK_MS;
  let timer: NodeJS.Timeout | undefined;
  let asked = 0;
  let left = 0;
  let armedAt = 0;
  let last = performance.eventLoopUtilization();

  const check = () => {
    timer = undefined;
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (busy < QUIET_UTILIZATION) {
      collect!();
      asked += 1;
      left -= 1;
      // Done once V8 made the space smaller than it was when the version came.
      if (youngGenerationBytes() < armedAt) left = 0;
    }
    if (left > 0) schedule();
  };
  const schedule = () => {
    timer = setTimeout(check, checkMs);
    timer.unref();
  };

  return {
    arm() {
      if (!collect) return;
      left = MAX_COLLECTIONS;
      armedAt = youngGenerationBytes();
      last = performance.eventLoopUtilization();
      if (!timer) schedule();
    },
    collections: () => asked,
    armed: () => left > 0,
    stop() {
      clearTimeout(timer);
      left = 0;
    },
  };
}

/** Committed bytes of the young generation (V8's `new_space`). */
export function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** V8's `gc` from a context of its own, bound to young-generation collections; null where V8 gives none. */
function youngGenerationCollector(): (() => void) | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    return typeof gc === 'function' ? () => (gc as (options: { type: 'minor' }) => void)({ type: 'minor' }) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
