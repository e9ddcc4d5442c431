import { describe, expect, it } from 'vitest';
import { LoadGate } from '../../src/content/load/state.ts';

/** Whether `promise` has settled by the next turn of the event loop. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

/**
 * Background work (the loader's warm-start pack write, the service's compression and indexing)
 * waits while loads come and for a moment after each, so a live edit saved right after a load
 * that rendered many pages is not served behind it; a shutdown waits for nothing.
 */
describe('the gate background work waits at', () => {
  it('is open before any load, closed while one runs and for the quiet time after the last, and open once the loader closes', async () => {
    const gate = new LoadGate(40);
    expect(await settled(gate.quiet())).toBe(true);
    expect(gate.isQuiet()).toBe(true);

    gate.enter();
    gate.enter();
    expect(gate.isQuiet()).toBe(false);
    const waiting = gate.quiet();
    gate.leave();
    expect(await settled(waiting)).toBe(false);
    const ended = performance.now();
    gate.leave();
    expect(gate.isQuiet()).toBe(false);
    await waiting;
    expect(performance.now() - ended).toBeGreaterThanOrEqual(35);
    expect(gate.isQuiet()).toBe(true);

    // A load during the quiet time starts it again.
    gate.enter();
    gate.leave();
    const again = gate.quiet();
    gate.enter();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await settled(again)).toBe(false);
    gate.leave();
    const last = performance.now();
    await again;
    expect(performance.now() - last).toBeGreaterThanOrEqual(35);

    gate.enter();
    const atShutdown = gate.quiet();
    gate.close();
    expect(gate.isQuiet()).toBe(true);
    expect(await settled(atShutdown)).toBe(true);
    expect(await settled(gate.quiet())).toBe(true);
  });
});
