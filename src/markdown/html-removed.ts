import type { Node } from 'unist';
import type { VFile } from 'vfile';

/** What a rehype plugin removed from a page, and why: reported as a warning at the node's line. */
export interface HtmlRemoval {
  code: 'html-removed' | 'embed-removed';
  /** What was removed, as the author wrote it: `<iframe src="…">`, `onclick on <a>`, `style "position: fixed" on <div>`. */
  what: string;
  why: string;
  hint: string;
}

/**
 * Reports a removal as a warning on the file, once per removed thing per line (a table of 40
 * rows with the same dropped attribute on one line is one warning, not 40).
 */
export function reportRemoval(file: VFile, node: Node, removal: HtmlRemoval): void {
  const key = `${node.position?.start.line ?? 0}\0${removal.code}\0${removal.what}`;
  const reported = ((file.data as { htmlRemovals?: Set<string> }).htmlRemovals ??= new Set());
  if (reported.has(key)) return;
  reported.add(key);
  const message = file.message(`${removal.what} removed: ${removal.why}`, node.position);
  message.ruleId = removal.code;
  message.source = 'html';
  message.note = removal.hint;
}
