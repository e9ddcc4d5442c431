import { execFileSync } from 'node:child_process';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEAP_GROWING_PERCENT, tightenHeapGrowth } from '../src/heap-growth.ts';

describe("tightenHeapGrowth (called by src/server.ts at a first start's listing and once the first version is served)", () => {
  afterEach(() => vi.restoreAllMocks());

  it('has V8 collect the old generation once it has grown by a fifth', () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    tightenHeapGrowth();
    expect(set).toHaveBeenCalledExactlyOnceWith(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(HEAP_GROWING_PERCENT).toBe(20);
  });

  it('sets a flag the V8 of this Node knows (one it did not know would be ignored, and the memory it saves lost)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(options, 'this V8 no longer lists --heap-growing-percent: see src/heap-growth.ts').toMatch(/^\s*--heap-growing-percent\b/m);
  });
});
