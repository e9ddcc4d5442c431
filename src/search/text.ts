/**
 * How text becomes search terms, in one place: the index, the queries and the highlighted
 * snippets all cut and fold words the same way, so a highlighted word is always one that matched.
 */

/** Anything that is not part of a word: spaces, punctuation, symbols. */
const NON_WORD = /[^\p{L}\p{N}\p{M}]+/u;
/** One word, with its position (for snippets). */
export const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Splits text into words. */
export function tokenize(text: string): string[] {
  return text.split(NON_WORD).filter(Boolean);
}

/**
 * The form a word is indexed and searched under: lower case, accents folded ("Café" → "cafe"),
 * so readers need not type them. Null drops the word.
 */
export function normalizeTerm(word: string): string | null {
  // Most words are ASCII, which has nothing to decompose or fold: lower case is all they need.
  const term = NOT_ASCII.test(word)
    ? word
        .normalize('NFD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
    : word.toLowerCase();
  return term === '' ? null : term;
}

const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * How far a query word may be from an indexed one (edits: a letter added, dropped or changed):
 * words of 4 letters or more may have one typo ("reviw" finds "review"), words of 7 or more two
 * (a swap of two letters is two edits: "slepelt" finds "sleplet"). Short words must match as typed.
 */
export function typoTolerance(term: string): number | false {
  if (term.length >= 7) return 2;
  if (term.length >= 4) return 1;
  return false;
}

/** Whether a query word also matches words it begins ("packag" → "packages"): from 3 letters. */
export function matchesAsPrefix(term: string): boolean {
  return term.length >= 3;
}
