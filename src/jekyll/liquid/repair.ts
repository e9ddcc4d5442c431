import { LiquidError, type TagToken } from 'liquidjs';
import type { ContentProblem } from '../../model/problem.ts';
import { errorReason, problem } from './render-state.ts';

/** Removes the tag an error points at; `source` is undefined when the error cannot be located. */
export function repairAt(source: string, error: unknown): { source?: string; problem: ContentProblem } {
  const reason = errorReason(error);
  const token = LiquidError.is(error) ? (error as LiquidError & { token?: TagToken }).token : undefined;
  if (!token || token.input !== source) {
    return {
      problem: problem(
        'liquid-syntax',
        1,
        1,
        `Liquid could not render this page (${reason}); all Liquid tags were removed`,
        'Fix the Liquid syntax; Jekyll would stop the build on this page.',
      ),
    };
  }
  const [line, column] = token.getPosition();
  const { start, end } = enclosingTag(source, token.begin);
  const removed = source.slice(start, end);
  const repaired = source.slice(0, start) + removed.replace(/[^\n]/g, '') + source.slice(end);
  const snippet = JSON.stringify(removed.length > 80 ? `${removed.slice(0, 77)}…` : removed);
  const unknownTag = /^tag "([^"]+)" not found/.exec(reason);
  if (unknownTag?.[1].startsWith('end')) {
    return {
      source: repaired,
      problem: problem(
        'liquid-syntax',
        line,
        column,
        `${snippet} closes a block that was never opened, so it was removed`,
        `Remove it, or add the opening {% ${unknownTag[1].slice(3)} %} tag.`,
      ),
    };
  }
  if (unknownTag) {
    return {
      source: repaired,
      problem: problem(
        'liquid-unknown-tag',
        line,
        column,
        `Liquid tag "${unknownTag[1]}" is not available here, so ${snippet} was removed`,
        'Jekyll plugin tags are not supported: remove the tag, or use an include the frontend renders.',
      ),
    };
  }
  const code = error instanceof Error && error.name === 'RenderError' ? 'liquid-render' : 'liquid-syntax';
  return {
    source: repaired,
    problem: problem(
      code,
      line,
      column,
      `${reason}; ${snippet} was removed from the output`,
      'Fix the Liquid tag (Jekyll would stop the build on it); to show Liquid code literally, wrap it in {% raw %}…{% endraw %}.',
    ),
  };
}

/** The `{% … %}` or `{{ … }}` around an offset; only its opening delimiter when it is never closed. */
function enclosingTag(source: string, offset: number): { start: number; end: number } {
  const tagStart = source.lastIndexOf('{%', offset);
  const outputStart = source.lastIndexOf('{{', offset);
  const start = Math.max(tagStart, outputStart);
  if (start === -1) return { start: offset, end: offset };
  const close = source.indexOf(start === tagStart ? '%}' : '}}', start + 2);
  return { start, end: close === -1 ? start + 2 : close + 2 };
}

/** The body with every Liquid tag removed (line breaks kept, so lines still match). */
export function withoutLiquid(source: string): string {
  return source.replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/g, (tag) => tag.replace(/[^\n]/g, '')).replace(/\{[{%]/g, '');
}

/** Problems sorted by line and column. */
export function inBodyOrder(problems: ContentProblem[]): ContentProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
