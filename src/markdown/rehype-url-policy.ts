import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { isSafeUrl, unsafeUrlProblem } from '../content/url-policy.ts';
import { walk } from './walk.ts';

/** The element properties that hold a link target (the sanitizer drops any other URL attribute). */
const URL_PROPERTIES = ['href', 'src', 'cite', 'longDesc', 'poster', 'action', 'formAction'] as const;

/**
 * Applies the API's URL policy (see `src/content/url-policy.ts`) to the HTML tree, before the
 * sanitizer: a link target it refuses (`javascript:`, `data:`, an unknown scheme, however it is
 * disguised) is removed from its element and reported as an `unsafe-url` error at its line.
 * The sanitizer would drop most of them too, but silently; this says where and why.
 */
export function rehypeUrlPolicy() {
  return (tree: Root, file: VFile) => {
    walk(tree, 'element', (node: Element) => {
      for (const property of URL_PROPERTIES) {
        const value = node.properties[property];
        if (typeof value !== 'string' || isSafeUrl(value)) continue;
        delete node.properties[property];
        const attribute = property === 'longDesc' ? 'longdesc' : property === 'formAction' ? 'formaction' : property;
        const problem = unsafeUrlProblem(value, { line: 1, column: 1, field: null });
        const message = file.message(problem.message.replace(/^link/, `<${node.tagName} ${attribute}>`), node.position);
        message.ruleId = problem.code;
        message.fatal = true;
        message.note = problem.hint;
      }
    });
  };
}
