import { createHook } from 'node:async_hooks';

/**
 * Works around a V8 performance cliff in Node 20's `process.nextTick`, which Node's HTTP and
 * stream code calls several times per request. Each call builds its queue entry with an object
 * literal keyed by two internal symbols. When a process has done enough work before serving (as
 * this one has: Fastify, loading content), V8 has often optimized that literal for field
 * representations that later values no longer fit; from then on every entry is built in the
 * runtime's slow path, about 5% of the CPU of a cached response and 15% of its throughput (found
 * with perf: Runtime_DefineKeyedOwnPropertyInLiteral, Map::TransitionToDataProperty and
 * JSObject::MigrateToMap under load, in 5 of 6 service processes and in none of 16 bare
 * node:http servers; with this module, in none of 11 service processes).
 *
 * Creating, before the app's other modules load, a few objects with the same keys in the same
 * order and values of every kind makes those fields fully general at once, so no later value
 * changes their shape. The keys are read off one entry, seen through an async hook enabled for
 * that one call only. Nothing here changes what nextTick does.
 */

/** The objects that hold the general shapes: kept for the life of the process, since V8 may drop shapes no live object has. */
const keep: object[] = [];

/** Returns whether the shapes are general (false if this Node builds its entries differently). */
export function generalizeNextTickShapes(): boolean {
  if (keep.length > 0) return true;
  let entry: object | undefined;
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'TickObject') entry ??= resource;
    },
  });
  try {
    hook.enable();
    process.nextTick(() => {});
  } finally {
    hook.disable();
  }
  // Reflection lists string keys before symbols; Node 20 writes the two symbols first.
  const [callback, args, asyncId, triggerAsyncId, ...more] = entry ? Reflect.ownKeys(entry) : [];
  if (callback !== 'callback' || args !== 'args' || typeof asyncId !== 'symbol' || typeof triggerAsyncId !== 'symbol' || more.length > 0) return false;
  for (const value of [1, 1.5, 'any', null, {}, () => {}]) {
    keep.push({ [asyncId]: value, [triggerAsyncId]: value, callback: value, args: value });
  }
  return true;
}

generalizeNextTickShapes();
