import type { ContentProblem } from '../model/problem.ts';

/** Where a file stops being UTF-8: the first byte that cannot be read as UTF-8, and its place in the file. */
export interface Utf8Break {
  /** 1-based line (lines end at LF) and column (UTF-16 code units, as editors and the YAML parser count them). */
  line: number;
  column: number;
  /** The byte itself, e.g. 0xe9: an "é" saved as Latin-1 or Windows-1252. */
  byte: number;
}

/** Bytes each step of the search for a break decodes at once (see findBreak). */
const CHUNK_BYTES = 64 * 1024;

/**
 * A file's bytes as UTF-8 text and, when they are not all UTF-8, where they stop being so (the
 * text then has U+FFFD in place of each bad sequence: a best effort, for a reader that reports
 * the break and still uses what it can, as it does with a YAML syntax error). A byte-order mark
 * is kept as U+FEFF, as `Buffer#toString` keeps it (Jekyll's readers do not drop it either); a
 * U+FFFD written in the file is text like any other, not a sign of bad bytes.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; break?: Utf8Break } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), break: findBreak(bytes) };
  }
}

/**
 * The first byte of `bytes` that is not UTF-8 (they are known not to be). A hostile file can be
 * a megabyte on one line, so the search stays linear: one streaming decoder takes the bytes a
 * chunk at a time until one fails, then the failing chunk is bisected, each step decoding one
 * chunk at most: whether a prefix has failed yet only changes once, from no to yes.
 */
function findBreak(bytes: Uint8Array): Utf8Break {
  const streaming = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = 0;
  for (; start < bytes.length; start += CHUNK_BYTES) {
    try {
      streaming.decode(bytes.subarray(start, start + CHUNK_BYTES), { stream: true });
    } catch {
      break;
    }
  }
  let at: number;
  if (start >= bytes.length) {
    // Every chunk decoded: the bytes end inside a character.
    at = bytes.length;
  } else {
    // A fresh decoder restarts where the character under way at `start` began, if one was (it
    // may have been whole, or cut short by the chunk's first byte).
    const from = unfinishedCharacterBefore(bytes, start) ?? start;
    const failsBy = (end: number) => {
      try {
        new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(from, end), { stream: true });
        return false;
      } catch {
        return true;
      }
    };
    // The longest prefix (from `from`) that has not failed: the byte after it makes it fail.
    let low = from;
    let high = Math.min(bytes.length, start + CHUNK_BYTES);
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (failsBy(middle)) high = middle - 1;
      else low = middle;
    }
    at = low;
  }
  const breakAt = unfinishedCharacterBefore(bytes, at) ?? at;
  return { ...positionOf(bytes, breakAt), byte: bytes[breakAt] };
}

/**
 * The start of a character begun before `at` and not finished there (a lead byte and fewer
 * continuation bytes than it announces), or null: the failing byte then cut that character
 * short, and the break is where it began ("é" as Latin-1, 0xe9, followed by a space).
 */
function unfinishedCharacterBefore(bytes: Uint8Array, at: number): number | null {
  let lead = at - 1;
  while (lead >= 0 && at - lead <= 3 && (bytes[lead] & 0xc0) === 0x80) lead -= 1;
  if (lead < 0 || bytes[lead] < 0xc0) return null;
  const length = bytes[lead] >= 0xf0 ? 4 : bytes[lead] >= 0xe0 ? 3 : 2;
  return at - lead < length ? lead : null;
}

/** Line and column of byte `offset`, all bytes before it being UTF-8. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index += 1) {
    if (bytes[index] === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
  }
  const before = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(lineStart, offset));
  return { line, column: before.length + 1 };
}

/** "byte 0xe9 at line 3, column 5": how a diagnostic's message names a break. */
export function describeBreak({ byte, line, column }: Utf8Break): string {
  return `byte 0x${byte.toString(16).padStart(2, '0')} at line ${line}, column ${column}`;
}

/**
 * The problem of a file that is not UTF-8: at its first bad byte, which the message names, and
 * saying what became of the file (`left out`, or `read with U+FFFD in place of its bad bytes`).
 */
export function notUtf8Problem(found: Utf8Break, outcome: string): ContentProblem {
  return {
    code: 'not-utf8-text',
    severity: 'error',
    line: found.line,
    column: found.column,
    field: null,
    message: `file is not UTF-8 text: ${describeBreak(found)} is not UTF-8; ${outcome}`,
    hint: 'Save the file as UTF-8: such a byte is usually a letter or a quote mark ("é", "’") saved as Latin-1 or Windows-1252.',
  };
}
