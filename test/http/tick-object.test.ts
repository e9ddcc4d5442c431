import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { heldTickObject, holdTickObjectShape } from '../../src/http/tick-object.ts';

const FIXTURE = path.join(import.meta.dirname, '../fixtures/tick-object/gc-between-ticks.ts');

/** The states of the inline caches that define the properties of nextTick's object, after full collections between ticks. */
function literalCacheStates(hold: boolean): string[] {
  // V8 prints with C stdio, which a pipe may cut short at exit (Node 24): into a file instead.
  const dir = mkdtempSync(path.join(tmpdir(), 'tick-object-'));
  const out = openSync(path.join(dir, 'out'), 'w');
  try {
    const run = spawnSync(process.execPath, ['--expose-gc', '--allow-natives-syntax', '--import', 'tsx', FIXTURE], {
      env: { ...process.env, HOLD: hold ? '1' : '0' },
      stdio: ['ignore', out, 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const printed = readFileSync(path.join(dir, 'out'), 'utf8');
    return [...printed.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((match) => match[1]);
  } finally {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('holding one of process.nextTick’s objects (what every response of node:http costs)', () => {
  it('holds an object of Node’s own tick queue once a tick has run', async () => {
    holdTickObjectShape();
    await new Promise((resolve) => setImmediate(resolve));
    const held = heldTickObject();
    expect(held).toBeTypeOf('object');
    expect(Object.keys(held!)).toEqual(['callback', 'args']);
  });

  it('takes a newer object every minute, so the maps held are those new objects get', async () => {
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    vi.useFakeTimers({ toFake: ['setInterval'] });
    try {
      holdTickObjectShape();
      await nextTurn();
      const first = heldTickObject();
      expect(first).toBeTypeOf('object');
      vi.advanceTimersByTime(59_999);
      await nextTurn();
      expect(heldTickObject()).toBe(first);
      vi.advanceTimersByTime(1);
      await nextTurn();
      const second = heldTickObject();
      expect(second).toBeTypeOf('object');
      expect(second).not.toBe(first);
      expect(Object.keys(second!)).toEqual(['callback', 'args']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the inline caches of nextTick’s object monomorphic through full collections: without it they turn megamorphic', () => {
    const without = literalCacheStates(false);
    // The literal defines at least its two ids, `callback` and `args`: the description was read.
    expect(without.length).toBeGreaterThanOrEqual(4);
    expect(
      without.filter((state) => state === 'MEGAMORPHIC').length,
      'without a held object the caches stayed monomorphic: this Node may no longer need holdTickObjectShape',
    ).toBeGreaterThan(0);
    const held = literalCacheStates(true);
    expect(held).toHaveLength(without.length);
    expect(held.every((state) => state === 'MONOMORPHIC')).toBe(true);
  });
});
