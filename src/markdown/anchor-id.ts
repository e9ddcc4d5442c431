import type GithubSlugger from 'github-slugger';
import { MAX_IDENTIFIER_LENGTH } from '../../schemas/identifier.ts';

/**
 * The most UTF-16 units of text a heading's or question's id is made from: what slugging it leaves
 * is no longer, and a repeat's `-N` (and a lower-cased letter that grows) still fits the routes'
 * limit, so every section and FAQ entry listed can be asked for by its id.
 */
const MAX_ID_TEXT_LENGTH = MAX_IDENTIFIER_LENGTH - 20;

/**
 * A GitHub-style id for `text` (github-slugger: `-1`, `-2`… for repeats), made from at most its
 * first {@link MAX_ID_TEXT_LENGTH} units, cut between characters. Only a heading or question
 * longer than that gets another id than on GitHub or in Jekyll.
 */
export function anchorId(slugger: GithubSlugger, text: string): string {
  if (text.length <= MAX_ID_TEXT_LENGTH) return slugger.slug(text);
  let cut = '';
  for (const character of text) {
    if (cut.length + character.length > MAX_ID_TEXT_LENGTH) break;
    cut += character;
  }
  return slugger.slug(cut);
}
