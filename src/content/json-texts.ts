import { randomBytes } from 'node:crypto';
import type { PackedTexts } from './packed-texts.ts';

/**
 * Stands for a packed text (or the part of it from UTF-16 index `from` to `to`, as
 * `String.prototype.slice` takes them) in a value given to JSON.stringify: see {@link jsonWithTexts}.
 */
export type TextRef = (index: number, from?: number, to?: number) => string;

/**
 * What a reference looks like in JSON.stringify's output: a string of a NUL (which JSON.stringify
 * writes as `\u0000`), this process's nonce, the reference's number and a U+0001. A string of
 * content can only look the same by holding the nonce, which is random and never sent.
 */
const NONCE = randomBytes(12).toString('hex');
const OPEN = `"\\u0000${NONCE}`;
const CLOSE = '\\u0001"';

/** The scratch buffer JSON is written in before it is copied out, kept between calls; a larger page's JSON is written in a buffer of its own. */
const SCRATCH_BYTES = 1024 * 1024;
let scratch: Buffer | undefined;

/**
 * The UTF-8 of `JSON.stringify(build(ref))`, where each string `ref` returned stands for packed
 * text, written from the bytes it was packed as: the bytes `Buffer.from(JSON.stringify(value))`
 * gives for the value with the texts in, without decoding the texts into strings, putting them
 * in a value, serializing it into one large string and encoding that again. For a page's JSON
 * (its HTML, its sections' HTML and texts), that is most of what serializing it allocated.
 *
 * Undefined when a part of a text is not a whole number of characters (a range that would cut a
 * surrogate pair): the caller serializes the value with the texts in instead.
 */
export function jsonWithTexts(texts: PackedTexts, build: (ref: TextRef) => unknown): Buffer | undefined {
  const refs: { index: number; from?: number; to?: number }[] = [];
  const skeleton = JSON.stringify(build((index, from, to) => `\u0000${NONCE}${refs.push({ index, from, to }) - 1}\u0001`));
  const spans = spansOf(texts, refs);
  if (!spans) return undefined;
  let capacity = 3 * skeleton.length;
  // At most six bytes for each byte of a text (a control character is `\u00xx`), and three for each UTF-16 unit of the rest.
  for (let at = 0; at < spans.length; at += 2) capacity += 6 * Math.max(0, spans[at + 1] - spans[at]) + 2;
  const out = capacity > SCRATCH_BYTES ? Buffer.allocUnsafeSlow(capacity) : (scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES));

  let written = 0;
  let copied = 0;
  for (let at = skeleton.indexOf(OPEN); at !== -1; at = skeleton.indexOf(OPEN, copied)) {
    const close = skeleton.indexOf(CLOSE, at);
    const digits = close === -1 ? '' : skeleton.slice(at + OPEN.length, close);
    const ref = /^\d{1,9}$/.test(digits) ? Number(digits) : -1;
    if (ref < 0 || ref >= refs.length) return undefined;
    written += out.write(skeleton.slice(copied, at), written);
    out[written++] = 0x22;
    written = writeEscaped(texts.source, spans[2 * ref], spans[2 * ref + 1], out, written);
    out[written++] = 0x22;
    copied = close + CLOSE.length;
  }
  written += out.write(skeleton.slice(copied), written);
  const json = Buffer.allocUnsafeSlow(written);
  out.copy(json, 0, 0, written);
  return json;
}

/** Each reference's bytes in the texts' source, as start and end pairs; undefined if a part would cut a character. */
function spansOf(texts: PackedTexts, refs: readonly { index: number; from?: number; to?: number }[]): Int32Array | undefined {
  const spans = new Int32Array(2 * refs.length);
  // The UTF-16 indexes each text is cut at, to find their bytes in one walk over it.
  const cuts = new Map<number, number[]>();
  for (const { index, from, to } of refs) {
    if (from === undefined) continue;
    const units = cuts.get(index) ?? [];
    units.push(from, to ?? Infinity);
    cuts.set(index, units);
  }
  const offsets = new Map<number, Map<number, number>>();
  for (const [index, units] of cuts) {
    const found = byteOffsets(texts.source, texts.span(index), units);
    if (!found) return undefined;
    offsets.set(index, found);
  }
  refs.forEach(({ index, from, to }, at) => {
    const [start, end] = texts.span(index);
    const found = offsets.get(index);
    spans[2 * at] = from === undefined ? start : found!.get(from)!;
    spans[2 * at + 1] = from === undefined ? end : found!.get(to ?? Infinity)!;
  });
  return spans;
}

/**
 * Where the UTF-16 indexes `units` of a text are in its UTF-8 bytes, `[start, end)`, clamped to
 * its length as `slice` clamps them (only non-negative indexes are taken); undefined if one falls
 * inside a surrogate pair.
 */
function byteOffsets(bytes: Buffer, [start, end]: [number, number], units: readonly number[]): Map<number, number> | undefined {
  const found = new Map<number, number>();
  let unit = 0;
  let at = start;
  for (const want of [...new Set(units)].sort((a, b) => a - b)) {
    if (!(want >= 0)) return undefined;
    while (unit < want && at < end) {
      const lead = bytes[at];
      const width = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
      at += width;
      unit += width === 4 ? 2 : 1;
    }
    if (unit > want) return undefined;
    found.set(want, at);
  }
  return found;
}

/** `\b`, `\t`, `\n`, `\f` and `\r` as JSON.stringify writes them; other control characters are `\u00xx`. */
const SHORT_ESCAPES = new Map([0x08, 0x09, 0x0a, 0x0c, 0x0d].map((byte, at) => [byte, 'btnfr'.charCodeAt(at)]));
const HEX = Buffer.from('0123456789abcdef');

/** Writes the UTF-8 bytes `[start, end)` of `source` into `out` at `written`, escaped as in a JSON string; where writing ended. */
function writeEscaped(source: Buffer, start: number, end: number, out: Buffer, written: number): number {
  let at = written;
  for (let index = start; index < end; index++) {
    const byte = source[index];
    if (byte >= 0x20 && byte !== 0x22 && byte !== 0x5c) {
      out[at++] = byte;
      continue;
    }
    out[at++] = 0x5c;
    const short = byte === 0x22 || byte === 0x5c ? byte : SHORT_ESCAPES.get(byte);
    if (short !== undefined) {
      out[at++] = short;
    } else {
      out[at++] = 0x75;
      out[at++] = 0x30;
      out[at++] = 0x30;
      out[at++] = HEX[byte >> 4];
      out[at++] = HEX[byte & 15];
    }
  }
  return at;
}
