import type { RankingQueue } from '../model/search.ts';

/** Thrown when the {@link RankingQueue} refuses a new ranking: it is full, or ranking has had its share of this second. */
export class SearchOverloaded extends Error {}

/**
 * Rankings waiting or under way, at most. With the default budget (30 ms of ranking each) a
 * ranking waits at most about 2 s of others' ranking; 64 leaves room for a burst of cheap
 * queries from many clients at once (bench: "search, all distinct", 50 connections).
 */
const MAX_QUEUED = 64;

/**
 * Milliseconds of ranking steps run in one turn of the event loop. Cheap rankings (a word or two
 * a user types) finish many to a turn; an expensive one takes a word per turn.
 */
const SLICE_MS = 4;

export interface RankingQueueOptions {
  /** Milliseconds of ranking per second, all rankings together; past it, new ones are refused until the next second. */
  msPerSecond: number;
  maxQueued?: number;
  sliceMs?: number;
}

/**
 * A {@link RankingQueue}: one queue of rankings for the whole event loop, run in order, a slice
 * of a few milliseconds of steps per turn, with every other request answered between two turns.
 *
 * Why one queue, not each ranking pausing on its own (setImmediate between its words): every
 * ranking under way then took its next step in the same turn, so eight clients' 12-word queries
 * held the event loop for eight words' work at a time, and /health waited behind them (p99
 * 172 ms in `npm run bench`'s abuse scenario). Why not a worker thread: the index would have to be
 * built and kept up to date twice (the main thread's FAQ ranking and the view's documents need
 * it too), for work that is cheap once its steps are bounded.
 *
 * Refusing (503 with Retry-After) is the answer to more work than a second holds: rankings
 * admitted and under way keep their place, queries already ranked are still answered.
 */
export function createRankingQueue({ msPerSecond, maxQueued = MAX_QUEUED, sliceMs = SLICE_MS }: RankingQueueOptions): RankingQueue {
  const queue: { steps: Iterator<void, unknown>; resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  // Ranking time spent in the current second, counted step by step (so rankings under way count too).
  let windowStart = -Infinity;
  let spentMs = 0;
  const roll = (now: number) => {
    if (now - windowStart >= 1000) {
      windowStart = now;
      spentMs = 0;
    }
  };
  let scheduled = false;
  // A turn runs at least one step, then more while its slice lasts.
  const turn = () => {
    scheduled = false;
    const started = performance.now();
    let now = started;
    do {
      const [ranking] = queue;
      const stepStarted = now;
      let step: IteratorResult<void, unknown> | undefined;
      try {
        step = ranking.steps.next();
      } catch (error) {
        queue.shift();
        ranking.reject(error instanceof Error ? error : new Error(String(error)));
      }
      now = performance.now();
      roll(now);
      spentMs += now - stepStarted;
      if (step?.done) {
        queue.shift();
        ranking.resolve(step.value);
      }
    } while (queue.length > 0 && now - started < sliceMs);
    if (queue.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(turn);
  };
  return {
    run<T>(steps: Iterator<void, T>): Promise<T> {
      roll(performance.now());
      if (queue.length >= maxQueued || spentMs >= msPerSecond) return Promise.reject(new SearchOverloaded());
      return new Promise<T>((resolve, reject) => {
        queue.push({ steps, resolve: (value) => resolve(value as T), reject });
        schedule();
      });
    },
  };
}
