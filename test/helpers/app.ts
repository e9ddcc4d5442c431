import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/build-app.ts';
import { checkedAgainstContract } from './contract.ts';

/** The bundled content folder, as `npm start` serves it. */
export const bundledContent = fileURLToPath(new URL('../../content/', import.meta.url));

/** A fixture folder under test/fixtures/. */
export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url));

/** The real pyOpenSci Jekyll site, vendored under test/fixtures/ (CC BY-SA 4.0: see its LICENSE and SOURCE). */
export const pyopensciCorpus = fixture('pyopensci-site');

/** Every markdown file under a folder, at any depth. */
export async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(md|markdown)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** A copy of the bundled content in a new temporary folder (`work`), with `cacheDir` beside it for a render cache. */
export async function copyOfBundledContent(prefix: string): Promise<{ work: string; dir: string; cacheDir: string }> {
  const work = await mkdtemp(path.join(tmpdir(), prefix));
  const dir = path.join(work, 'content');
  await cp(bundledContent, dir, { recursive: true });
  return { work, dir, cacheDir: path.join(work, 'cache') };
}

/**
 * Builds the real app over a content folder. Its `inject` checks every response against the
 * OpenAPI document the app serves (see contract.ts), so no test can pass on a response the
 * document does not describe.
 */
export async function appFor(contentDir: string) {
  // Search's time budgets (and its wait for an index being built) would make answers depend on how
  // loaded the test machine is; their own tests set them.
  return checkedAgainstContract(
    await buildApp({ contentDir, searchBudgetMs: 60_000, searchRankingMsPerSecond: 60_000, searchIndexWaitMs: 60_000 }),
  );
}
