import { describe, expect, it } from 'vitest';
import { byteRangeOf } from '../../src/http/byte-range.ts';

describe('byteRangeOf', () => {
  it('reads one range of each form, an end past the body cut to it', () => {
    expect(byteRangeOf('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(byteRangeOf('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRangeOf('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRangeOf('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(byteRangeOf('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
  });

  it('says a range starting at or past the end, or an empty suffix, is unsatisfiable', () => {
    expect(byteRangeOf('bytes=100-', 100)).toBe('unsatisfiable');
    expect(byteRangeOf('bytes=100-200', 100)).toBe('unsatisfiable');
    expect(byteRangeOf('bytes=-0', 100)).toBe('unsatisfiable');
    expect(byteRangeOf('bytes=0-', 0)).toBe('unsatisfiable');
  });

  it('leaves several ranges, other units and malformed ones to the whole body', () => {
    for (const header of [undefined, 'bytes=0-1,3-4', 'items=0-1', 'bytes=5-2', 'bytes=-', 'bytes=a-b', `bytes=0-${'9'.repeat(30)}`]) {
      expect(byteRangeOf(header, 100), String(header)).toBeUndefined();
    }
  });
});
