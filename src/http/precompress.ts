import type { Snapshot } from '../model/snapshot.ts';

/** Pages looked at between two turns of the event loop (a turn waits while a load runs). */
const PAGES_PER_TURN = 16;

export interface PrecompressResult {
  /** Pages whose JSON and HTML bodies now have their brotli and gzip variants. */
  pages: number;
  /** Bytes those variants hold (the plain bodies are not kept for them). */
  bytes: number;
  /** Whether every page was done, the budget was reached, or a newer version (or shutdown) interrupted the run. */
  outcome: 'all' | 'budget' | 'interrupted';
}

/**
 * Compresses the page bodies of each content version as soon as it is loaded, in zlib's thread
 * pool (one body at a time, so serving keeps the other core), so that a brotli or gzip request
 * finds its bytes ready. Records of pages that did not change are kept from version to version
 * with their variants, so after an edit only the edited page is compressed again.
 *
 * Compressed variants go to the body store's folder when it has one (read back on a page's first
 * request), else they stay in memory; the plain bodies serialized for them are not kept. Beyond
 * `budgetBytes` of variants, in page order, the rest are compressed on their first request
 * instead, then kept. At about 9 KB per seed-sized page, the default 128 MB covers 14,000 pages.
 */
export function createPrecompressor(
  budgetBytes: number,
  nextTurn: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
) {
  let generation = 0;
  return {
    /**
     * Precompresses a snapshot's published pages, abandoning any run on an older snapshot. It
     * starts on a later turn of the event loop and takes a turn every few hundred pages (pages
     * already compressed cost a lookup each), so the requests that follow a new version come first.
     */
    async run(snapshot: Snapshot): Promise<PrecompressResult> {
      const mine = ++generation;
      let pages = 0;
      let bytes = 0;
      for (const record of snapshot.published.pages) {
        if (pages % PAGES_PER_TURN === 0) await nextTurn();
        for (const representation of [record.json, record.html]) {
          if (generation !== mine) return { pages, bytes, outcome: 'interrupted' };
          if (bytes >= budgetBytes) return { pages, bytes, outcome: 'budget' };
          bytes += await representation.precompress();
        }
        pages += 1;
      }
      return { pages, bytes, outcome: 'all' };
    },
    /** Stops the current run (shutdown). */
    stop(): void {
      generation += 1;
    },
  };
}
