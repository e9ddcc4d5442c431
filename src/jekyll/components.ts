import type { Context, TagToken } from 'liquidjs';
import type { Component } from '../../schemas/page.ts';

/** Records a component in the page being rendered and gives it its id. */
export type RecordComponent = (ctx: Context, fields: Omit<Component, 'id' | 'context'>) => Component;

/**
 * The placeholder element of a component: its name and its id, nothing more (its params and
 * context are in the page JSON, so a loop of 400 includes does not carry its data twice).
 * `content` goes inside, already HTML (a link to a gist).
 */
export function componentPlaceholder(component: Component, content = ''): string {
  const element = component.placement === 'block' ? 'div' : 'span';
  return `<${element} data-include="${escapeAttribute(component.name)}" data-include-id="${escapeAttribute(component.id)}">${content}</${element}>`;
}

/** Escapes for a double-quoted attribute; `{` too, so no `{{`/`{%` can appear in the output. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{/g, '&#123;');
}

/** A tag alone on its line(s) is a block component (a `<div>`), else an inline one (a `<span>`). */
export function placementOf(token: TagToken): Component['placement'] {
  return standsAlone(token) ? 'block' : 'inline';
}

/** Whether a tag is alone on its line(s): then its placeholder is a block, else inline. */
function standsAlone(token: TagToken): boolean {
  const lineStart = token.input.lastIndexOf('\n', token.begin - 1) + 1;
  const lineEnd = token.input.indexOf('\n', token.end);
  const before = token.input.slice(lineStart, token.begin);
  const after = token.input.slice(token.end, lineEnd === -1 ? undefined : lineEnd);
  return /^[ \t]*$/.test(before) && /^[ \t\r]*$/.test(after);
}
