import v8 from 'node:v8';

/** How much V8 lets the old generation grow past what a full collection left alive, in percent. */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Has V8 collect the old generation when it has grown by a fifth since the last full collection,
 * instead of by the factor V8 picks from its allocation rate (up to four times). Called by
 * server.ts once the first version is served, and sooner, at a first start's listing, when the
 * load renders every page behind it.
 *
 * Why: after a load the service works on in the background for seconds (at 10,000 pages it
 * compresses 20,000 page bodies over about 25 s), allocating at tens of megabytes a second. V8's
 * own factor, set while the load was allocating fast, let the heap grow with that garbage, and
 * its memory reducer, which gives the heap back when a thread goes quiet, judged the thread busy
 * for a minute after the work ended. At 10,000 pages, node alone: 459–461 MB resident 15 s after
 * a cold start and 460–464 MB at 40 s with V8's factor; 418–419 and 404–405 MB with this one set
 * once the first version was served (2 runs each, 2026-12-04).
 *
 * A first start's render goes on for some 20 s after its listing, and the main thread's heap
 * kept the size the listing grew it to (about 118 MB, 60–70 MB of it alive): set at the listing,
 * it is 80–109 MB 15 s later, and node 303–330 MB resident against 338–339 MB (3 runs each,
 * 2026-12-05), with the render as long (20.3–25.5 s against 19.9–25.8 s, a busy machine). A
 * listing a shutdown saved is not one (see resume.ts): the load behind it is a warm start's, and
 * with the flag set at such a listing, the five saves `../shared/acceptance/perf` times right
 * after it (medians of 5) read 22–73 ms in 11 runs, against 28–42 ms in 6 without.
 *
 * Not before: a load that builds the snapshot grows the heap by a hundred megabytes or more,
 * and with this factor from the start a warm start at 10,000 pages took 2.42–2.49 s instead of
 * 2.01–2.11 s (3 runs each). V8 reads the flag at each full collection, so setting it later takes
 * effect from the next one; a V8 that no longer knows the flag ignores it. It applies to the whole
 * process: the render workers take it at their next full collection, and a live edit was as fast
 * with it (38–59 ms against 40–65 ms from save to served, a busy machine).
 */
export function tightenHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
