import GithubSlugger from 'github-slugger';
import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { anchorId } from './anchor-id.ts';
import { walk } from './walk.ts';

/**
 * Gives every heading a GitHub-style id (github-slugger), so in-page links such as
 * `#community-meetings` work in any frontend. An id set explicitly (e.g. by a kramdown
 * attribute list) is kept; repeated headings get -1, -2… as on GitHub; a very long heading's id
 * is made from its beginning (see anchorId).
 */
export function remarkHeadingIds() {
  return (tree: Root) => {
    const slugger = new GithubSlugger();
    walk<Heading>(tree, 'heading', (node) => {
      const data = (node.data ??= {});
      const properties = (data.hProperties ??= {}) as Record<string, unknown>;
      if (typeof properties.id === 'string' && properties.id) {
        slugger.slug(properties.id);
        return;
      }
      properties.id = anchorId(slugger, toString(node));
    });
  };
}
