import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { walk } from './walk.ts';

/** What a link target turned out to be. */
export type LinkResolution = { kind: 'page'; href: string } | { kind: 'missing' } | { kind: 'external' };

export interface RehypePageLinksOptions {
  /** Resolves an href written in the page (whose path and permalink are in `file.data`) to a page. */
  resolveLink: (href: string, file: VFile) => LinkResolution;
}

/**
 * Rewrites links between pages (`python-packages.html`, `../resources/`, `other.md`) to the
 * target page's permalink, so they work wherever the HTML is shown. Runs on the HTML tree, so
 * links written as raw `<a href>` are checked as well as markdown links. A link to a page that
 * does not exist stays as written and is reported as a `broken-link` warning at its line.
 */
export function rehypePageLinks(options: RehypePageLinksOptions) {
  return (tree: Root, file: VFile) => {
    walk(tree, 'element', (node: Element) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return;
      const href = node.properties.href;
      const resolution = options.resolveLink(href, file);
      if (resolution.kind === 'page') node.properties.href = resolution.href;
      else if (resolution.kind === 'missing') {
        const message = file.message(`link to ${href} points at no page of this site`, node.position);
        message.ruleId = 'broken-link';
        message.note = 'Fix the path, or link to the permalink of an existing page.';
      }
    });
  };
}
