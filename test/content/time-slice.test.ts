import { describe, expect, it } from 'vitest';
import { createTimeSlicer, createTurnTaker, filterSliced, forEachSliced } from '../../src/content/time-slice.ts';

/** Keeps the thread busy for `ms`, as a file's work on the main thread does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('forEachSliced', () => {
  it('holds the event loop for about one slice at a time however many tasks run at once', async () => {
    // Items done between two turns of the event loop (a timer firing on each turn it gets).
    const perTurn: number[] = [0];
    const ticking = setInterval(() => perTurn.push(0), 0);
    // 32 lanes, as the loader reads files, each item 0.25 ms of work: a slice (8 ms) holds about
    // 32 of them; a slice for each lane in one turn would hold about 1,000.
    await forEachSliced(Array.from({ length: 3000 }), 32, async () => {
      await Promise.resolve();
      busy(0.25);
      perTurn[perTurn.length - 1] += 1;
    });
    clearInterval(ticking);
    expect(Math.max(...perTurn)).toBeLessThan(200);
    expect(perTurn.reduce((sum, done) => sum + done, 0)).toBe(3000);
  });
});

describe('createTimeSlicer', () => {
  it('reading the clock every 32 items still hands the event loop back once a slice is used up', async () => {
    const slice = createTimeSlicer(8, 32);
    let pauses = 0;
    let items = 0;
    let most = 0;
    for (let item = 0; item < 1600; item++) {
      busy(0.05);
      items += 1;
      const pause = slice();
      if (pause) {
        most = Math.max(most, items);
        items = 0;
        pauses += 1;
        await pause;
      }
    }
    // Counted in items, not timed, so a busy machine cannot fail it: an item takes at least 0.05 ms,
    // so a slice (8 ms) is used up within 160 items, and the clock is read within 32 more.
    expect(most).toBeLessThanOrEqual(8 / 0.05 + 32);
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(1600 / (8 / 0.05 + 32)));
  });
});

describe('filterSliced', () => {
  it('keeps what filter keeps, in order, and lets the event loop turn while it goes', async () => {
    const items = Array.from({ length: 20_000 }, (_, at) => at);
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const kept = await filterSliced(items, (at) => {
      busy(0.002);
      return at % 3 === 0;
    });
    clearInterval(ticking);
    expect(kept).toEqual(items.filter((at) => at % 3 === 0));
    expect(turns).toBeGreaterThan(0);
  });
});

describe('createTurnTaker', () => {
  it('lets one caller go on a turn of the event loop, however many wait', async () => {
    const takeTurn = createTurnTaker();
    // The turn of the event loop each caller went on in (a setImmediate counting turns: one
    // scheduled from a turn's callback runs in the next turn).
    let turn = 0;
    let counting = true;
    const count = () => {
      turn += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const wentOn: number[] = [];
    const lane = async () => {
      for (let slice = 0; slice < 5; slice++) {
        await takeTurn();
        wentOn.push(turn);
        busy(1);
      }
    };
    await Promise.all([lane(), lane(), lane()]);
    counting = false;
    expect(wentOn).toHaveLength(15);
    expect(new Set(wentOn).size).toBe(15);
  });
});
