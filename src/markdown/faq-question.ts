import type { Element, ElementContent } from 'hast';
import { toString } from 'hast-util-to-string';

/** A question written in a FAQ section's body, not as a heading. */
export interface WrittenQuestion {
  question: string;
  /** What follows the question inside its own element (the answer's first lines, when no blank line separates them). */
  rest: ElementContent[];
}

const isBold = (node: ElementContent): node is Element => node.type === 'element' && (node.tagName === 'strong' || node.tagName === 'b');
const isBlank = (node: ElementContent) => node.type === 'text' && node.value.trim() === '';

/**
 * The question an element states, if it is one: a `<dt>` ending with `?`, or a paragraph that
 * is wholly bold and ends with `?` (`**How do I apply for a scholarship?**`), or whose first
 * line is (`**Question?**` then the answer on the next line, with no blank line between).
 */
export function writtenQuestion(node: Element): WrittenQuestion | undefined {
  if (node.tagName === 'dt') {
    const question = toString(node).replace(/\s+/g, ' ').trim();
    return question.endsWith('?') ? { question, rest: [] } : undefined;
  }
  if (node.tagName !== 'p') return undefined;
  const start = node.children.findIndex((child) => !isBlank(child));
  const bold = node.children[start];
  if (!bold || !isBold(bold)) return undefined;
  const question = toString(bold).replace(/\s+/g, ' ').trim();
  if (!question.endsWith('?')) return undefined;
  const after = node.children.slice(start + 1);
  const next = after[0];
  // The bold run must be the paragraph's whole first line: nothing after it, or a line break.
  const wholeLine =
    !next ||
    after.every(isBlank) ||
    (next.type === 'text' && /^[ \t]*\n/.test(next.value)) ||
    (next.type === 'element' && next.tagName === 'br');
  if (!wholeLine) return undefined;
  const rest = after.filter((child, index) => !(index === 0 && child.type === 'element' && child.tagName === 'br'));
  if (rest[0]?.type === 'text') rest[0] = { ...rest[0], value: rest[0].value.replace(/^\s+/, '') };
  return { question, rest: rest.every(isBlank) ? [] : rest };
}
