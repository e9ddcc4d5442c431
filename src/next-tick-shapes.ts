import { createHook } from 'node:async_hooks';

/**
 * Works around a V8 performance cliff in Node 20's `process.nextTick`, which Node's HTTP and
 * stream code calls several times per request. Each call builds its queue entry with an object
 * literal keyed by two internal symbols. When a process has done enough work before serving (as
 * this one has: Fastify, loading content), V8 has often optimized that literal for field
 * representations that later values no longer fit; from then on every entry is built in the
 * runtime's slow path, about 5% of the CPU of a cached response and 15% of its throughput (found
 * with perf: Runtime_DefineKeyedOwnPropertyInLiteral, Map::TransitionToDataProperty and
 * JSObject::MigrateToMap under load, in most service processes and in no bare node:http server).
 *
 * Creating, first thing, a few objects with the same keys and values of every kind makes those
 * fields fully general at once, so no later value changes their shape. The internal symbols are
 * read off one entry, seen through an async hook that is enabled for that one call only.
 * Nothing here changes what nextTick does. `npm run bench` shows the effect on throughput.
 * Returns whether it could (false if a Node version builds its entries differently).
 */
export function generalizeNextTickShapes(): boolean {
  let entry: object | undefined;
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'TickObject') entry ??= resource;
    },
  }).enable();
  process.nextTick(() => {});
  hook.disable();
  const [asyncId, triggerAsyncId] = entry ? Object.getOwnPropertySymbols(entry) : [];
  if (asyncId === undefined || triggerAsyncId === undefined) return false;
  // Kept for the life of the process: V8 may drop shapes no live object has.
  for (const value of [1, 1.5, 'any', null, {}, () => {}]) {
    keep.push({ [asyncId]: value, [triggerAsyncId]: value, callback: value, args: value });
  }
  return true;
}

const keep: object[] = [];

generalizeNextTickShapes();
