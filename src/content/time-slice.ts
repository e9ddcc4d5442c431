/** Hands the event loop back (a promise to wait for) once the current slice is used up; undefined until then. */
export type Slice = () => Promise<void> | undefined;

/**
 * Cuts a long loop on the main thread into slices: call the returned function once per item,
 * and it hands the event loop back (one `setImmediate`) whenever the current slice has run
 * `sliceMs`, so requests keep being answered while 10,000 pages are read or assembled. With
 * `every`, the clock is read only every `every` calls: for loops whose items take microseconds
 * (a few dozen of them are far less than a slice), never for items that may take milliseconds.
 *
 * Loops that share a slicer share its slices: every caller waits for the same turn of the event
 * loop and they all go on in it, together, until the slice is used up again. (A turn per caller
 * gave each of {@link forEachSliced}'s lanes a whole slice in one go: the loader's 32 lanes held
 * the event loop for up to 250 ms during a warm start at 10,000 pages.)
 */
export function createTimeSlicer(sliceMs = 8, every = 1): Slice {
  let sliceStart = performance.now();
  let pause: Promise<void> | undefined;
  let calls = 0;
  return () => {
    if (pause) return pause;
    // Loops of items of a few microseconds each (10,000 files looked at) read the clock every
    // `every` items: reading it for each was a few milliseconds of such a loop.
    if (++calls < every) return undefined;
    calls = 0;
    if (performance.now() - sliceStart < sliceMs) return undefined;
    pause = new Promise<void>((resolve) =>
      setImmediate(() => {
        sliceStart = performance.now();
        pause = undefined;
        resolve();
      }),
    );
    return pause;
  };
}

/**
 * `items.filter(keep)` for a predicate of microseconds (a path against the site's rules),
 * handing the event loop back between slices: 10,000 paths filtered at once held it for several
 * milliseconds.
 */
export async function filterSliced<T>(items: readonly T[], keep: (item: T) => boolean): Promise<T[]> {
  const slice = createTimeSlicer(8, 32);
  const kept: T[] = [];
  for (const item of items) {
    if (keep(item)) kept.push(item);
    const pause = slice();
    if (pause) await pause;
  }
  return kept;
}

/**
 * Runs `task` over `items` with at most `concurrency` in flight (a whole folder's reads at once
 * would also parse their results all at once), giving the event loop back between slices.
 */
export async function forEachSliced<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void> | void): Promise<void> {
  const slice = createTimeSlicer();
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
      await slice();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/**
 * Hands out turns of the event loop one caller at a time: each call resolves in a turn of its own
 * (a `setImmediate` that schedules the next caller's, which Node runs in the following turn, after
 * the I/O that came meanwhile). Background work in several lanes, each working a few milliseconds
 * per turn (the content checks, search indexing, gathering the FAQ), then holds the event loop a
 * slice at a time, not the sum of the lanes' slices in every turn.
 */
export function createTurnTaker(): () => Promise<void> {
  const waiting: (() => void)[] = [];
  let scheduled = false;
  const giveTurn = () => {
    const next = waiting.shift();
    if (waiting.length > 0) setImmediate(giveTurn);
    else scheduled = false;
    next?.();
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (scheduled) return;
      scheduled = true;
      setImmediate(giveTurn);
    });
}
