import { describe, expect, it } from 'vitest';
import { decodeUtf8, describeBreak } from '../../src/content/utf8-text.ts';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

describe('decodeUtf8', () => {
  it('reads UTF-8 text, keeping a byte-order mark and a U+FFFD written in the file', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'title: Café\n'))).toEqual({ text: '\uFEFFtitle: Café\n' });
    expect(decodeUtf8(bytes('A replacement character: \uFFFD, and 🙂.'))).toEqual({ text: 'A replacement character: \uFFFD, and 🙂.' });
  });

  it.each([
    ['an "é" saved as Latin-1, at the line and column where it is', bytes('---\ntitle: x\nname: Caf', [0xe9], ' au lait\n'), 3, 10, 0xe9],
    ['a stray continuation byte after a whole character', bytes('é', [0x80], '\n'), 1, 2, 0x80],
    ['a byte that starts no character', bytes('ok\nab', [0xff]), 2, 3, 0xff],
    ['an overlong lead byte', bytes('x', [0xc0, 0xaf]), 1, 2, 0xc0],
    ['a character cut short by the end of the file', bytes('ends with ', [0xf0, 0x9f, 0x99]), 1, 11, 0xf0],
    ['a three-byte character cut short by a space', bytes('a', [0xe2, 0x82], ' b'), 1, 2, 0xe2],
    ['columns counted in UTF-16 code units, as editors count them', bytes('🙂🙂', [0xe9]), 1, 5, 0xe9],
  ])('finds %s', (_name, input, line, column, byte) => {
    expect(decodeUtf8(input).break).toEqual({ line, column, byte });
  });

  it('still gives the text, with U+FFFD in place of each bad sequence, for a reader that uses what it can', () => {
    expect(decodeUtf8(bytes('name: L', [0xe9], 'ah\n')).text).toBe('name: L\uFFFDah\n');
  });

  it('finds the break on a long line, past the first chunks the search decodes', () => {
    const line = 'x'.repeat(700_000);
    expect(decodeUtf8(bytes('first\n', `${line}é`, [0xe9], `${line}\n`)).break).toEqual({ line: 2, column: 700_002, byte: 0xe9 });
  });

  it('finds a break across a chunk boundary, in the middle of a character', () => {
    // "é" (0xc3 0xa9) split by the 64 KB boundary, then a bad byte right after it.
    const input = bytes('a'.repeat(64 * 1024 - 1), 'é', [0xa9]);
    expect(decodeUtf8(input).break).toEqual({ line: 1, column: 64 * 1024 + 1, byte: 0xa9 });
  });

  it('finds a character cut short by the first byte of the next chunk', () => {
    const input = bytes('a'.repeat(64 * 1024 - 1), [0xe9], ' au lait');
    expect(decodeUtf8(input).break).toEqual({ line: 1, column: 64 * 1024, byte: 0xe9 });
  });

  it('names the byte and its place for a message', () => {
    expect(describeBreak({ line: 3, column: 10, byte: 0xe9 })).toBe('byte 0xe9 at line 3, column 10');
  });
});
