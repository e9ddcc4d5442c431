/**
 * Work as steps: a generator that pauses (yields) between pieces of a few milliseconds, so a
 * caller can run it at once, in turns of the event loop ({@link runInTurns}), or in a queue that
 * shares time between such works (search/ranking-queue.ts).
 */
import { createTimeSlicer } from './time-slice.ts';

/** Runs steps to the end at once, holding the event loop until they are done. */
export function runAtOnce<T>(steps: Iterator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs steps to the end, handing the event loop back (see createTimeSlicer) whenever they have
 * run `sliceMs`: 4 ms by default, the ranking queue's slice, so a request waits at most that and
 * one step behind them.
 */
export async function runInTurns<T>(steps: Iterator<void, T>, sliceMs = 4): Promise<T> {
  const slice = createTimeSlicer(sliceMs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await slice();
  }
}

/** Items a sort moves between two pauses: a few milliseconds' work. */
const ITEMS_PER_STEP = 2048;
/** Items sorted at once (by Array.prototype.sort) before runs are merged. */
const RUN = 256;

/**
 * Sorts `items` (in place, and returns them) as steps: a generator that pauses every
 * {@link ITEMS_PER_STEP} items sorted or merged. A ranking of a common word at 10,000 pages
 * sorts tens of thousands of results, which `Array.prototype.sort` does in one go of 40-50 ms on
 * a loaded 2-core machine; here runs of {@link RUN} are sorted, then merged pairwise, bottom up.
 * Stable, as `Array.prototype.sort` is: of two equal items, the earlier stays first.
 */
export function* sortInSteps<T>(items: T[], compare: (a: T, b: T) => number): Generator<void, T[]> {
  if (items.length <= RUN) return items.sort(compare);
  let budget = ITEMS_PER_STEP;
  for (let start = 0; start < items.length; start += RUN) {
    const run = items.slice(start, start + RUN).sort(compare);
    for (let at = 0; at < run.length; at += 1) items[start + at] = run[at];
    budget -= run.length;
    if (budget <= 0) {
      budget = ITEMS_PER_STEP;
      yield;
    }
  }
  let from = items;
  let to = new Array<T>(items.length);
  for (let width = RUN; width < items.length; width *= 2) {
    for (let start = 0; start < items.length; start += 2 * width) {
      const middle = Math.min(start + width, items.length);
      const end = Math.min(start + 2 * width, items.length);
      let left = start;
      let right = middle;
      for (let at = start; at < end; at += 1) {
        // The left run wins ties: stable.
        to[at] = right >= end || (left < middle && compare(from[left], from[right]) <= 0) ? from[left++] : from[right++];
        if (--budget <= 0) {
          budget = ITEMS_PER_STEP;
          yield;
        }
      }
    }
    [from, to] = [to, from];
  }
  if (from !== items) for (let at = 0; at < items.length; at += 1) items[at] = from[at];
  return items;
}
