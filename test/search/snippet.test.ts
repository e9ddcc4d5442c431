import { describe, expect, it } from 'vitest';
import { highlightSnippet } from '../../src/search/snippet.ts';
import { normalizeTerm, tokenize } from '../../src/search/text.ts';

describe('search terms', () => {
  it('fold case and accents, so readers need not type them', () => {
    expect(tokenize('Café au lait, crème-brûlée!').map(normalizeTerm)).toEqual(['cafe', 'au', 'lait', 'creme', 'brulee']);
  });
});

describe('highlightSnippet', () => {
  it('marks every matched word, whatever its case or accents', () => {
    expect(highlightSnippet('Peer review: the Review is open. Révïew again.', new Set(['review']))).toBe(
      'Peer <mark>review</mark>: the <mark>Review</mark> is open. <mark>Révïew</mark> again.',
    );
  });

  it('escapes the text, so a snippet is safe to insert as HTML', () => {
    const snippet = highlightSnippet('Use <script>alert("x")</script> & review it', new Set(['review']));
    expect(snippet).toBe('Use &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>review</mark> it');
  });

  it('shows the passage around the first match, cut at words, with an ellipsis where text was left out', () => {
    const text = `${'lorem ipsum '.repeat(40)}the needle is here ${'dolor sit '.repeat(40)}`;
    const snippet = highlightSnippet(text, new Set(['needle']));
    expect(snippet).toMatch(/^…\w/);
    expect(snippet).toMatch(/\w…$/);
    expect(snippet).toContain('the <mark>needle</mark> is here');
    expect(snippet.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(182);
  });

  it('starts at the beginning when nothing in the text matched', () => {
    expect(highlightSnippet('A short text.', new Set(['absent']))).toBe('A short text.');
  });
});
