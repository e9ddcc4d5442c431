import { slug } from 'github-slugger';

/**
 * The slug of a category or tag named `name`: GitHub's (github-slugger), or the name itself when
 * that leaves nothing (a name of punctuation or emoji only). Names that slug alike are one term.
 * Both the loader (which lists no term whose slug a route refuses) and the taxonomy lists use it.
 */
export function termSlug(name: string): string {
  return slug(name) || name;
}
