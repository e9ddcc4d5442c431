import { createContentLoader } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';

/**
 * A first start stopped during its render: one render thread over `dir` with the render cache in
 * `cacheDir`, closed (as a shutdown closes it) `afterMs` after it listed its pages, once `before`
 * is done with the listing. Gives the listing.
 */
export async function cutShortFirstLoad(
  dir: string,
  cacheDir: string,
  { afterMs, before }: { afterMs: number; before?: (listing: Snapshot) => Promise<unknown> },
): Promise<Snapshot> {
  let listing: Snapshot | undefined;
  const first = createContentLoader(dir, { cacheDir, renderThreads: 1, onListed: (listed) => (listing = listed) });
  const loading = first.load().catch(() => undefined);
  while (!listing) await new Promise((resolve) => setTimeout(resolve, 5));
  await before?.(listing);
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  await first.close();
  await loading;
  return listing;
}
