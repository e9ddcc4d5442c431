import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/build-app.ts';
import { checkedAgainstContract } from './contract.ts';

/** The bundled content folder, as `npm start` serves it. */
export const bundledContent = fileURLToPath(new URL('../../content/', import.meta.url));

/** A fixture folder under test/fixtures/. */
export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url));

/** The shared real-site corpus beside the project, read at test time. */
export const pyopensciCorpus = fileURLToPath(new URL('../../../shared/corpora/pyopensci-site/', import.meta.url));

/**
 * Builds the real app over a content folder. Its `inject` checks every response against the
 * OpenAPI document the app serves (see contract.ts), so no test can pass on a response the
 * document does not describe.
 */
export async function appFor(contentDir: string) {
  return checkedAgainstContract(await buildApp({ contentDir }));
}
