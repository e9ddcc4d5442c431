import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/** What a link target turned out to be. */
export type LinkResolution =
  | { kind: 'page'; href: string }
  | { kind: 'missing' }
  | { kind: 'external' };

export interface RemarkPageLinksOptions {
  /** Resolves an href written in the page to the target page's permalink. */
  resolveLink: (href: string, file: VFile) => LinkResolution;
}

/**
 * Rewrites links between pages (`python-packages.html`, `../resources/`, `other.md`) to the
 * target page's permalink, so they work wherever the HTML is shown. A link to a page that does
 * not exist stays as written and is reported as a `broken-link` warning at its line.
 */
export function remarkPageLinks(options: RemarkPageLinksOptions) {
  return (tree: Root, file: VFile) => {
    visit(tree, ['link', 'definition'], (node) => {
      const link = node as { url: string; position?: Root['position'] };
      const resolution = options.resolveLink(link.url, file);
      if (resolution.kind === 'page') link.url = resolution.href;
      else if (resolution.kind === 'missing') {
        const message = file.message(`link to ${link.url} points at no page of this site`, link.position);
        message.ruleId = 'broken-link';
        message.note = 'Fix the path, or link to the permalink of an existing page.';
      }
    });
  };
}
