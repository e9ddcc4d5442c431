import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Texts kept deflated in one buffer, off the JS heap: a line of their byte lengths, then the
 * texts, in UTF-8. For text a service keeps for every page but reads now and then (a render's
 * HTML, a FAQ answer): a string is traced by every full collection and costs a byte a character
 * at best; deflated prose takes about a quarter of that, and inflating a page's takes tens of
 * microseconds.
 */
export function packTexts(texts: readonly string[]): Uint8Array {
  const lengths = texts.map((text) => Buffer.byteLength(text)).join(',');
  // Copied into memory of its own: a small Buffer is a view of a shared pool, which a worker's
  // message would copy whole, and which would keep the pool alive for as long as the texts.
  return new Uint8Array(deflateRawSync(`${lengths}\n${texts.join('')}`));
}

/**
 * Packed texts inflated, as a reader by position ('' past the last). Each text is decoded on its
 * own, not sliced from one string: a slice would keep all of them alive for as long as any is.
 */
export function unpackTexts(packed: Uint8Array): { count: number; text: (index: number) => string; bytes: (index: number) => Buffer } {
  const bytes = inflateRawSync(packed);
  const header = bytes.indexOf(0x0a);
  const lengths = bytes.toString('latin1', 0, header).split(',').map(Number);
  const starts: number[] = [];
  let at = header + 1;
  for (const length of lengths) {
    starts.push(at);
    at += length;
  }
  return {
    count: lengths.length,
    text: (index) => (index < lengths.length ? bytes.toString('utf8', starts[index], starts[index] + lengths[index]) : ''),
    // The text's UTF-8 as it was packed, in memory of its own (not a view keeping every text alive,
    // nor a slice of Buffer's shared pool): what sending it needs, with no string decoded and encoded again.
    bytes: (index) => {
      const length = index < lengths.length ? lengths[index] : 0;
      const own = Buffer.allocUnsafeSlow(length);
      if (length > 0) bytes.copy(own, 0, starts[index], starts[index] + length);
      return own;
    },
  };
}
