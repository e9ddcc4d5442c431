import { AssertionError, LiquidError, type TagToken } from 'liquidjs';
import { contentLimits } from '../../content/limits.ts';
import type { ContentProblem } from '../../model/problem.ts';

/** One of `contentLimits.liquid`. */
export type LiquidLimit = keyof typeof contentLimits.liquid;

/** A page's Liquid went past one of `contentLimits.liquid`; never repaired, never retried. */
export class LiquidLimitError extends Error {
  constructor(
    readonly limit: LiquidLimit,
    /** Body position of the include it happened in, when it happened in one. */
    public line?: number,
    public column?: number,
  ) {
    super(`${limit} exceeded`);
    this.name = 'LiquidLimitError';
  }
}

/** liquidjs's own limits fail with an AssertionError named after the resource. */
const LIQUIDJS_LIMITS: Record<string, LiquidLimit> = {
  'parse length limit exceeded': 'parseLimit',
  'template render limit exceeded': 'renderLimitMs',
  'memory alloc limit exceeded': 'memoryLimit',
};

/** The limit behind an error (liquidjs wraps errors of tags in a RenderError), if it is one. */
export function liquidLimitOf(error: unknown): LiquidLimitError | undefined {
  for (let cause = error; cause instanceof Error; cause = (cause as Error & { originalError?: unknown }).originalError) {
    if (cause instanceof LiquidLimitError) return cause;
    if (cause instanceof AssertionError && Object.hasOwn(LIQUIDJS_LIMITS, cause.message))
      return new LiquidLimitError(LIQUIDJS_LIMITS[cause.message]);
  }
  return undefined;
}

const LIMIT_MESSAGES: Record<LiquidLimit, (value: number) => string> = {
  parseLimit: (value) => `a template is longer than ${value.toLocaleString('en')} characters`,
  renderLimitMs: (value) => `rendering took longer than ${value.toLocaleString('en')} ms`,
  memoryLimit: (value) => `rendering allocated more than ${value.toLocaleString('en')} items (array elements and characters)`,
  maxIncludeRenders: (value) => `more than ${value.toLocaleString('en')} includes were rendered`,
  maxOutputBytes: (value) => `Liquid wrote more than ${(value / (1024 * 1024)).toLocaleString('en')} MB`,
};

/** The `liquid-limit` error of a page, at the include or tag where the limit was reached. */
export function limitProblem(limit: LiquidLimitError, error: unknown, source: string): ContentProblem {
  const token = LiquidError.is(error) ? (error as LiquidError & { token?: TagToken }).token : undefined;
  const [line, column] =
    limit.line !== undefined ? [limit.line, limit.column ?? 1] : token && token.input === source ? token.getPosition() : [1, 1];
  const value = contentLimits.liquid[limit.limit];
  return {
    code: 'liquid-limit',
    severity: 'error',
    line,
    column,
    field: null,
    message: `Liquid stopped: ${LIMIT_MESSAGES[limit.limit](value)} (contentLimits.liquid.${limit.limit}), so the page is served with all Liquid tags removed`,
    hint: 'Look for a loop over a huge range, an include that includes itself, or a capture that doubles; Jekyll would take as long or never finish.',
  };
}

/** A limit stops the whole page, not just the include: passed on, at the outermost include's position. */
export function throwIfLimit(error: unknown, line: number, column: number): void {
  const limit = liquidLimitOf(error);
  if (!limit) return;
  limit.line ??= line;
  limit.column ??= column;
  throw limit;
}
