import type { DiagnosticCode } from '../../../schemas/diagnostic-codes.ts';
import type { Component } from '../../../schemas/page.ts';
import type { ContentProblem } from '../../model/problem.ts';

/** Per-render state, kept in a Context register so concurrent renders never share it. */
export interface RenderState {
  components: Component[];
  problems: ContentProblem[];
  loopVariables: string[];
  /** Body line of the include whose file is being rendered, so nested problems point into the body. */
  outerLine?: number;
  depth: number;
  /** Includes evaluated so far, at any depth. */
  includeRenders: number;
  /** Bytes written by Liquid so far, captures included. */
  outputBytes: number;
}

/** The state a render starts with. */
export const newRenderState = (): RenderState => ({
  components: [],
  problems: [],
  loopVariables: [],
  depth: 0,
  includeRenders: 0,
  outputBytes: 0,
});

/** The Context register a render's {@link RenderState} is kept in. */
export const STATE = 'jekyllRenderState';

/** A Liquid warning at a body position. */
export function problem(code: DiagnosticCode, line: number, column: number, message: string, hint: string): ContentProblem {
  return { code, severity: 'warning', line, column, field: null, message, hint };
}

/** An error's message without liquidjs's file, line and column suffix. */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/(, file:[^\n]*?)?, line:\d+, col:\d+$/, '');
}
