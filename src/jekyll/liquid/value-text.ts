/**
 * A Liquid value as text where a filter or tag wants text: JavaScript's `String` (a number as
 * `12`, a list joined by commas, a hash as `[object Object]`), which is also how liquidjs writes
 * a value it has no rule of its own for. Templates are untyped, so any value can reach such a
 * place; this is where its text is chosen.
 */
export function valueText(value: unknown): string {
  return String(value);
}
