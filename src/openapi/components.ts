/**
 * Tidies the component schemas fastify-type-provider-zod derives from the Zod registry: every
 * schema with an `id` comes out twice (as read, `XInput`, and as written, `X`) and carries the
 * `$schema`/`$id` of a standalone JSON Schema. The document keeps only the components its
 * operations reach (the routes' in `paths`, and the requests the service sends in `webhooks`),
 * each under its one name, and the result does not depend on import order.
 */

import { globalRegistry, type z } from 'zod';

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

const REF_PREFIX = '#/components/schemas/';

/** The document with its component schemas named once, reachable from `paths` or `webhooks`, in name order. */
export function nameComponentsOnce<T extends { paths?: unknown; webhooks?: unknown; components?: { schemas?: Record<string, unknown> } }>(
  document: T,
): T {
  const all = (document.components?.schemas ?? {}) as Record<string, JsonObject>;
  const reachable = new Set<string>();
  const pending = [...refsIn(document.paths as JsonValue), ...refsIn(document.webhooks as JsonValue)];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reachable.has(name) || !all[name]) continue;
    reachable.add(name);
    pending.push(...refsIn(all[name]));
  }
  const schemas = Object.fromEntries(
    [...reachable].sort().map((name) => {
      const { $schema: _schema, $id: _id, ...schema } = all[name];
      return [name, schema];
    }),
  );
  return { ...document, components: { ...document.components, schemas } };
}

/** A `$ref` to the component a registered Zod schema becomes. */
export function componentRef(schema: z.ZodType): { $ref: string } {
  const id = globalRegistry.get(schema)?.id;
  if (!id) throw new Error('componentRef needs a schema registered with .meta({ id })');
  return { $ref: `${REF_PREFIX}${id}` };
}

/** Names of the component schemas a JSON value refers to. */
function refsIn(value: JsonValue | undefined): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' && inner.startsWith(REF_PREFIX) ? [inner.slice(REF_PREFIX.length)] : refsIn(inner),
  );
}
