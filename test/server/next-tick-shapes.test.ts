import { describe, expect, it } from 'vitest';
import { generalizeNextTickShapes } from '../../src/next-tick-shapes.ts';

describe('the nextTick shape workaround server.ts runs first', () => {
  it('finds the queue entry keys on this Node version (a Node that changed them fails here, not silently)', () => {
    expect(generalizeNextTickShapes()).toBe(true);
  });

  it('leaves nextTick working as before: arguments passed, order kept', async () => {
    const seen: unknown[] = [];
    await new Promise<void>((resolve) => {
      process.nextTick((a: number, b: string) => seen.push(a, b), 1, 'two');
      process.nextTick(() => seen.push(3));
      process.nextTick(resolve);
    });
    expect(seen).toEqual([1, 'two', 3]);
  });
});
