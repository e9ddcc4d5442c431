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
 * The loader's background work (the warm-start pack's write) waits while loads come and for a
 * moment after each, so a live edit saved right after a load that rendered many pages is not
 * served behind it; a shutdown waits for nothing.
 */
describe('the gate the loader background work waits at', () => {
  it('is open before any load, closed while one runs and for the quiet time after the last, and open once the loader closes', async () => {
    const gate = new LoadGate(40);
    expect(await settled(gate.quiet())).toBe(true);

    gate.enter();
    gate.enter();
    const waiting = gate.quiet();
    gate.leave();
    expect(await settled(waiting)).toBe(false);
    const ended = performance.now();
    gate.leave();
    await waiting;
    expect(performance.now() - ended).toBeGreaterThanOrEqual(35);

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
    expect(await settled(atShutdown)).toBe(true);
    expect(await settled(gate.quiet())).toBe(true);
  });
});
