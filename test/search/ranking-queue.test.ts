import { describe, expect, it } from 'vitest';
import { createRankingQueue, SearchOverloaded } from '../../src/search/ranking-queue.ts';

/** A ranking of `count` steps that records, in `log`, each step it takes under `name`. */
function* ranking(name: string, count: number, log: string[], stepMs = 0): Generator<void, string> {
  for (let i = 0; i < count; i++) {
    log.push(`${name}${i}`);
    const until = performance.now() + stepMs;
    while (performance.now() < until);
    if (i < count - 1) yield;
  }
  return name;
}

/** Resolves after the event loop has gone round once: timers, I/O, then immediates queued meanwhile. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the ranking queue', () => {
  it('runs one slice of steps per turn of the event loop, so other work runs between the steps of a long ranking', async () => {
    const queue = createRankingQueue({ msPerSecond: Infinity, sliceMs: 0 });
    const log: string[] = [];
    const done = queue.run(ranking('a', 4, log));
    await nextTurn();
    log.push('other work');
    expect(await done).toBe('a');
    expect(log.indexOf('other work')).toBeGreaterThan(0);
    expect(log.indexOf('other work')).toBeLessThan(log.indexOf('a3'));
  });

  it('ranks in the order asked, the next ranking going on in the same turn while the slice lasts', async () => {
    const queue = createRankingQueue({ msPerSecond: Infinity, sliceMs: 1_000 });
    const log: string[] = [];
    expect(await Promise.all([queue.run(ranking('a', 2, log)), queue.run(ranking('b', 2, log))])).toEqual(['a', 'b']);
    expect(log).toEqual(['a0', 'a1', 'b0', 'b1']);
  });

  it('refuses a ranking with SearchOverloaded when as many are queued as it holds', async () => {
    const queue = createRankingQueue({ msPerSecond: Infinity, maxQueued: 2 });
    const log: string[] = [];
    const admitted = [queue.run(ranking('a', 3, log)), queue.run(ranking('b', 3, log))];
    await expect(queue.run(ranking('c', 1, log))).rejects.toBeInstanceOf(SearchOverloaded);
    await Promise.all(admitted);
    expect(log).not.toContain('c0');
    // Once the queue has room again, rankings are admitted.
    expect(await queue.run(ranking('d', 1, log))).toBe('d');
  });

  it("refuses new rankings once this second's ranking time is spent, counting the steps of rankings under way", async () => {
    const queue = createRankingQueue({ msPerSecond: 1, sliceMs: 0 });
    const log: string[] = [];
    const long = queue.run(ranking('a', 3, log, 2));
    await nextTurn();
    // One 2-ms step of the ranking under way has used up the second's 1 ms.
    await expect(queue.run(ranking('b', 1, log))).rejects.toBeInstanceOf(SearchOverloaded);
    expect(await long).toBe('a');
  });

  it('rejects a ranking whose step throws, and goes on with the next', async () => {
    const queue = createRankingQueue({ msPerSecond: Infinity });
    const failing = (function* (): Generator<void, string> {
      yield;
      throw new Error('broken ranking');
    })();
    const log: string[] = [];
    const failed = queue.run(failing);
    const next = queue.run(ranking('b', 2, log));
    await expect(failed).rejects.toThrow('broken ranking');
    expect(await next).toBe('b');
  });
});
