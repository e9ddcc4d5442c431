import type { Root } from 'hast';
import type { VFile } from 'vfile';

/** What the caller of a render asks to see of the tree as its author wrote it (see rehypeWrittenTree). */
export type WrittenTreeListener = (tree: Root) => void;

/**
 * Hands the tree, as the author wrote it, to `file.data.onWrittenTree` when the caller set one:
 * placed right after raw HTML is parsed and before anything is rewritten or removed, the tree is
 * the one the content checks read (links, embedded files and headings where they were written),
 * so a page rendered once need not be parsed a second time for them.
 */
export function rehypeWrittenTree() {
  return (tree: Root, file: VFile) => {
    (file.data.onWrittenTree as WrittenTreeListener | undefined)?.(tree);
  };
}
