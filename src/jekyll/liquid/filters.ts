import type { Context, Liquid } from 'liquidjs';
import { kramdownToHtml } from '../../markdown/kramdown-html.ts';
import { valueText } from './value-text.ts';

type FilterThis = { context: Context };

/** Jekyll's filters that liquidjs lacks or does differently: relative_url, absolute_url, markdownify, smartify, where, sort. */
export function registerJekyllFilters(liquid: Liquid): void {
  liquid.registerFilter('relative_url', function (this: FilterThis, input: unknown) {
    return input == null ? input : relativeUrl(valueText(input), this.context.getSync(['site', 'baseurl']));
  });
  liquid.registerFilter('absolute_url', function (this: FilterThis, input: unknown) {
    if (input == null) return input;
    const relative = relativeUrl(valueText(input), this.context.getSync(['site', 'baseurl']));
    const siteUrl = this.context.getSync(['site', 'url']);
    if (ABSOLUTE_URL.test(relative) || typeof siteUrl !== 'string' || siteUrl === '') return relative;
    return siteUrl.replace(/\/+$/, '') + relative;
  });
  liquid.registerFilter('markdownify', (input: unknown) => String(kramdownToHtml.processSync(input == null ? '' : valueText(input))));
  liquid.registerFilter('smartify', (input: unknown) => smartify(input == null ? '' : valueText(input)));
  liquid.registerFilter('where', jekyllWhere);
  liquid.registerFilter('sort', jekyllSort);
}

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;

/** Jekyll's relative_url: baseurl + path, both with a leading slash; absolute URLs unchanged. */
function relativeUrl(input: string, baseurl: unknown): string {
  if (ABSOLUTE_URL.test(input)) return input;
  const base = typeof baseurl === 'string' || typeof baseurl === 'number' ? String(baseurl).replace(/\/$/, '') : '';
  const withSlash = (part: string) => (part === '' || part.startsWith('/') ? part : `/${part}`);
  return withSlash(base) + withSlash(input);
}

/** Jekyll's `where`: compares as strings, and matches any element of an array property. */
function jekyllWhere(input: unknown, property: unknown, value: unknown): unknown {
  if (property == null || property === '' || Array.isArray(value) || (typeof value === 'object' && value !== null)) return input;
  const items = Array.isArray(input) ? input : input && typeof input === 'object' ? Object.values(input) : [];
  return items.filter((item) => {
    const actual = readPath(item, valueText(property));
    if (value == null) return actual == null;
    const target = valueText(value);
    if (typeof actual === 'string') return actual === target;
    return (Array.isArray(actual) ? actual : [actual]).some((element) => element != null && valueText(element) === target);
  });
}

/** Jekyll's `sort`: by a property path, items without it first (or last with `nils: "last"`). */
function jekyllSort(input: unknown, property?: unknown, nils: unknown = 'first'): unknown {
  if (!Array.isArray(input)) return input;
  const items: unknown[] = input;
  const order = nils === 'last' ? 1 : -1;
  const keyed = items.map((item) => ({ item, key: property == null ? item : readPath(item, valueText(property)) }));
  keyed.sort((a, b) => {
    if (a.key == null && b.key == null) return 0;
    if (a.key == null) return order;
    if (b.key == null) return -order;
    return compareValues(a.key, b.key);
  });
  return keyed.map(({ item }) => item);
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  const [left, right] = [String(a), String(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}

function readPath(item: unknown, property: string): unknown {
  let value: unknown = item;
  for (const key of property.split('.')) {
    if (value == null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Typographic quotes, dashes and ellipses, like Jekyll's smartify. */
function smartify(input: string): string {
  return input
    .replace(/---/g, '\u2014')
    .replace(/--/g, '\u2013')
    .replace(/\.\.\./g, '\u2026')
    .replace(/(^|[\s([{\u2014\u2013])"/g, '$1\u201c')
    .replace(/"/g, '\u201d')
    .replace(/(^|[\s([{\u2014\u2013])'/g, '$1\u2018')
    .replace(/'/g, '\u2019');
}
