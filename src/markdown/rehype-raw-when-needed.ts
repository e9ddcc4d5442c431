import type { Root } from 'hast';
import rehypeRaw from 'rehype-raw';
import { EXIT } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { walk } from './walk.ts';

/**
 * rehype-raw, run only when the page has raw HTML in it. Parsing raw HTML means passing the
 * whole tree through an HTML parser, the most expensive step of rendering; most pages have no
 * raw HTML and skip it.
 */
export function rehypeRawWhenNeeded() {
  const raw = rehypeRaw();
  return (tree: Root, file: VFile) => {
    let hasRaw = false;
    walk(tree, 'raw', () => {
      hasRaw = true;
      return EXIT;
    });
    return hasRaw ? raw(tree, file) : tree;
  };
}
