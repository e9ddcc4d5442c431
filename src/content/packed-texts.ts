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

/** Packed texts inflated, as a reader by position ('' past the last). */
export function unpackTexts(packed: Uint8Array): PackedTexts {
  return new PackedTexts(inflateRawSync(packed));
}

/**
 * Inflated packed texts: each text decoded on its own when asked for, not sliced from one string
 * (a slice would keep all of them alive for as long as any is), or read as the UTF-8 it was
 * packed as. A class: a reader is made each time a page's texts are read.
 */
export class PackedTexts {
  /** The inflated bytes: the lengths line, then every text's UTF-8 (see {@link span}). */
  readonly source: Buffer;
  readonly count: number;
  readonly #starts: number[];
  readonly #lengths: number[];

  constructor(source: Buffer) {
    this.source = source;
    const header = source.indexOf(0x0a);
    this.#lengths = source.toString('latin1', 0, header).split(',').map(Number);
    this.count = this.#lengths.length;
    this.#starts = [];
    let at = header + 1;
    for (const length of this.#lengths) {
      this.#starts.push(at);
      at += length;
    }
  }

  text(index: number): string {
    const [start, end] = this.span(index);
    return start === end ? '' : this.source.toString('utf8', start, end);
  }

  /**
   * The text's UTF-8 as it was packed, in memory of its own (not a view keeping every text alive,
   * nor a slice of Buffer's shared pool): what sending it needs, with no string decoded and encoded again.
   */
  bytes(index: number): Buffer {
    const [start, end] = this.span(index);
    const own = Buffer.allocUnsafeSlow(end - start);
    if (end > start) this.source.copy(own, 0, start, end);
    return own;
  }

  /** Where the text's UTF-8 is in {@link source}: its first byte and the one after its last (an empty range past the last text). */
  span(index: number): [start: number, end: number] {
    if (index >= this.count) return [this.source.length, this.source.length];
    const start = this.#starts[index];
    return [start, start + this.#lengths[index]];
  }
}
