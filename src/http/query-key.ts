/**
 * A query string in one canonical form (names sorted, lists joined with commas, absent values
 * left out): the key under which a list or search answer is memoized for a content version, and
 * the form of the `next`/`prev` links, so equal queries share one answer whatever order they came in.
 */
export function canonicalQuery(query: Record<string, string | number | boolean | string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const name of Object.keys(query).sort()) {
    const value = query[name];
    if (value === undefined) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params.toString();
}
