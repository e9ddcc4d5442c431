import { executionAsyncResource } from 'node:async_hooks';

/** How often the object held is replaced by one made now (see holdTickObjectShape). */
const REFRESH_MS = 60_000;

/**
 * Keeps one of the objects `process.nextTick` queues alive for as long as the process runs, so
 * that V8 never drops the hidden classes ("maps") it gives them.
 *
 * Why: node:http calls `process.nextTick` several times for every response. Each call builds its
 * object with a literal whose properties V8 adds by map transitions, and transitions are held
 * weakly: a full garbage collection at a moment when no such object exists (the service's start,
 * a content load, any idle moment) drops them, and the next call makes new maps. Once the
 * literal's inline caches have met four sets of maps they turn megamorphic for good, and every
 * property of every such object is then defined through V8's runtime. In the service, after its
 * start, those caches were megamorphic (V8's `%DebugPrint(process.nextTick)`), and node:http's
 * own work cost about two fifths more CPU a request than in a process that only served; what holding
 * one object bought is measured in docs/guides/delivery.md.
 *
 * The object is one of Node's own, taken in a tick's callback (`executionAsyncResource`, no
 * async hook enabled), so it has whatever shape the running Node gives them; replaced now and
 * then, the maps held stay those new objects get. It holds only the small callback that took it.
 */
export function holdTickObjectShape(): void {
  const take = () => process.nextTick(() => (held = executionAsyncResource()));
  take();
  setInterval(take, REFRESH_MS).unref();
}

let held: object | undefined;

/** The object held now, if any (for tests). */
export function heldTickObject(): object | undefined {
  return held;
}
