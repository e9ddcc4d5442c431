import { Drop, type Context } from 'liquidjs';
import type { Component } from '../../../schemas/page.ts';
import { newRenderState, STATE, type RenderState } from './render-state.ts';

/**
 * Adds a component to the page being rendered, with the loop variables in scope (Jekyll includes
 * read them implicitly, so the frontend needs them too) and the next id of the page.
 */
export function recordComponent(ctx: Context, fields: Omit<Component, 'id' | 'context'>): Component {
  const state = ctx.getRegister<RenderState | undefined>(STATE) ?? newRenderState();
  const context = Object.fromEntries(state.loopVariables.map((name) => [name, toPlain(ctx.getSync([name]))]));
  const component: Component = { id: `component-${state.components.length + 1}`, ...fields, context };
  state.components.push(component);
  return component;
}

/** A JSON-safe copy of a Liquid value (dates as ISO strings, drops unwrapped, cycles cut). */
export function toPlain(value: unknown, ancestors: object[] = []): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value)) return undefined;
  if (value instanceof Drop) {
    const unwrapped = value.valueOf();
    if (unwrapped !== value) return toPlain(unwrapped, [...ancestors, value]);
  }
  const next = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => toPlain(item, next) ?? null);
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, toPlain(item, next)] as const)
      .filter(([, item]) => item !== undefined),
  );
}
