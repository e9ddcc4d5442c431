import type { Root } from 'hast';
import { toString } from 'hast-util-to-string';

/** Jekyll's title for a page that has none: its slug with words capitalised ("my-post" → "My Post"). */
export function titleFromSlug(slug: string): string {
  return slug
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

/** The first paragraph's text, as Jekyll's default excerpt (excerpt_separator "\n\n"). */
export function excerptOf(tree: Root): string | null {
  const paragraph = tree.children.find((node) => node.type === 'element' && node.tagName === 'p');
  const text = paragraph ? toString(paragraph).replace(/\s+/g, ' ').trim() : '';
  return text || null;
}
