import type { PageRecord } from '../model/page-record.ts';

/** The operators of `where=`: few, and each documented in the OpenAPI document. */
export const WHERE_OPERATORS = ['eq', 'in', 'exists', 'before', 'after'] as const;
export type WhereOperator = (typeof WHERE_OPERATORS)[number];

/** One `where=<field>:<operator>:<value>` condition. */
export interface WhereCondition {
  field: string;
  operator: WhereOperator;
  value: string;
}

/** A front-matter path as `fields=` and `where=` accept it: `front_matter.` then keys joined by dots. */
export const FRONT_MATTER_PATH = /^front_matter(?:\.[A-Za-z0-9_-]{1,100}){1,5}$/;

/** The value at a dotted path of a page (`title`, `front_matter.header.teaser`), or undefined. */
export function valueAt(record: PageRecord, field: string): unknown {
  const [first, ...rest] = field.split('.');
  let value: unknown = first === 'front_matter' ? record.frontMatter : (record.summary as Record<string, unknown>)[first];
  for (const key of rest) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Sets a dotted path in a list item, creating the objects on the way (`front_matter.header.teaser`). */
export function setAt(item: Record<string, unknown>, field: string, value: unknown): void {
  const keys = field.split('.');
  let target = item;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  target[keys.at(-1)!] = value;
}

/** Whether a page meets one condition. Values compare as text; a list matches when any of its items does. */
export function meets(record: PageRecord, condition: WhereCondition): boolean {
  const value = valueAt(record, condition.field);
  const texts = (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== null).map(textOf);
  switch (condition.operator) {
    case 'exists':
      return texts.length > 0 === (condition.value !== 'false');
    case 'eq':
      return texts.includes(condition.value);
    case 'in': {
      const wanted = condition.value.split(',');
      return texts.some((text) => wanted.includes(text));
    }
    case 'before':
      return texts.some((text) => text.slice(0, 10) < condition.value);
    case 'after':
      return texts.some((text) => text.slice(0, 10) > condition.value);
  }
}

function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
