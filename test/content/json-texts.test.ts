import { describe, expect, it, vi } from 'vitest';
import { jsonWithTexts } from '../../src/content/json-texts.ts';
import { loadContent } from '../../src/content/load.ts';
import { packTexts, unpackTexts } from '../../src/content/packed-texts.ts';
import { pyopensciCorpus } from '../helpers/app.ts';

// Watched, not changed: the corpus test checks that pages were written from their bytes, not by the fallback.
vi.mock('../../src/content/json-texts.ts', async (original) => {
  const module = await original<typeof import('../../src/content/json-texts.ts')>();
  return { ...module, jsonWithTexts: vi.fn(module.jsonWithTexts) };
});

describe("a page's JSON written from its packed texts", () => {
  it('is the bytes of JSON.stringify of the page as served, for every page of the corpus', async () => {
    const snapshot = await loadContent(pyopensciCorpus);
    expect(snapshot.pages.length).toBeGreaterThan(50);
    vi.mocked(jsonWithTexts).mockClear();
    let sections = 0;
    for (const record of snapshot.pages) {
      const page = record.page;
      sections += page.sections.length;
      expect(record.json.body.toString(), record.file).toBe(JSON.stringify(page));
    }
    // Pages with sections were among them: their HTML is cut from the page's by UTF-16 index.
    expect(sections).toBeGreaterThan(100);
    // Every page's JSON was written from its bytes (none needed the fallback of serializing strings).
    const written = vi.mocked(jsonWithTexts).mock.results;
    expect(written).toHaveLength(snapshot.pages.length);
    for (const { value } of written) expect(value).toBeInstanceOf(Buffer);
  }, 60_000);

  const texts = ['<p class="x">a "quoted" \\ back\\slash</p>\n\t\r\b\f\u0001\u001f\u007f', 'naïve — 日本語 😀 a😀b', '', 'plain'];
  const packed = unpackTexts(packTexts(texts));
  const same = (build: (text: (index: number, from?: number, to?: number) => string) => unknown) => {
    const written = jsonWithTexts(packed, build);
    expect(written?.toString()).toBe(JSON.stringify(build((index, from, to) => (from === undefined ? texts[index] : texts[index].slice(from, to)))));
    // In memory of its own, not a view of the scratch it was written in.
    expect(written!.buffer.byteLength).toBe(written!.length);
  };

  it('escapes quotes, backslashes and control characters as JSON.stringify does, and keeps other characters as they are', () => {
    same((text) => ({ a: text(0), b: [text(1), { c: text(2) }], d: text(3), e: 'kept "as" is\n', f: 1, g: null }));
    same((text) => text(0));
    same((text) => [text(1), text(1)]);
  });

  it('cuts a text by UTF-16 index as slice does, multi-byte characters and pairs included, and clamps past its end', () => {
    const whole = texts[1];
    for (let from = 0; from <= whole.length; from++) {
      for (const to of [from, from + 1, from + 3, whole.length, whole.length + 5]) {
        // A cut inside a surrogate pair cannot be written from the bytes: the caller serializes the strings then.
        const cuts = [from, to].filter((at) => at < whole.length && at > 0 && /[\udc00-\udfff]/.test(whole[at]));
        if (cuts.length > 0) expect(jsonWithTexts(packed, (text) => text(1, from, to))).toBeUndefined();
        else same((text) => ({ part: text(1, from, to), other: text(0, 2, 9), backwards: text(0, 9, 2) }));
      }
    }
  });

  it('writes content that looks like a reference as content: only this process knows the marks', () => {
    same((text) => ({ fake: '\u00000\u0001', fake2: `"\\u0000${'0'.repeat(24)}0\\u0001"`, real: text(3) }));
  });

  it('writes a text larger than the kept scratch buffer, and a value with no text', () => {
    const large = 'x"y\n'.repeat(300_000);
    const big = unpackTexts(packTexts([large]));
    expect(jsonWithTexts(big, (text) => ({ large: text(0) }))?.toString()).toBe(JSON.stringify({ large }));
    expect(jsonWithTexts(big, () => ({ none: true }))?.toString()).toBe('{"none":true}');
  });
});
