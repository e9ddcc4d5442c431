import { gemoji } from 'gemoji';
import type { Root } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

/** Every gemoji shortcode name (`heart`, `+1`, `grin`…) and its emoji: the table jemoji itself uses. */
const EMOJI_BY_NAME: ReadonlyMap<string, string> = new Map(
  gemoji.flatMap(({ emoji, names }) => names.map((name) => [name, emoji] as const)),
);

/** A `:name:` shortcode, as jemoji matches it. */
const SHORTCODE = /:([\w+-]+):/g;

/** Elements whose text is code: jemoji leaves them as written. */
const VERBATIM = new Set(['code', 'pre', 'kbd', 'samp', 'tt', 'script', 'style', 'textarea']);

/** Text with every known `:shortcode:` replaced by its emoji; unknown ones (`:30:` in a time) stay. */
export function emojify(text: string): string {
  if (!text.includes(':')) return text;
  return text.replace(SHORTCODE, (shortcode, name: string) => EMOJI_BY_NAME.get(name) ?? shortcode);
}

/**
 * jemoji: `:heart:` becomes ❤️ in the text of a page's HTML, outside code (`<code>`, `<pre>`…),
 * with GitHub's emoji names (the `gemoji` table). jemoji writes an `<img>` from GitHub's CDN; the
 * Unicode character needs no image and no third-party request.
 */
export function rehypeJemoji() {
  return (tree: Root) => {
    visit(tree, (node) => {
      if (node.type === 'element' && VERBATIM.has(node.tagName)) return SKIP;
      if (node.type === 'text') node.value = emojify(node.value);
      return undefined;
    });
  };
}
