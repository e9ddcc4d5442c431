import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { faqPageJsonLd, faqPageJsonLdText } from '../../src/discovery/faq-jsonld.ts';
import { bundledContent } from '../helpers/app.ts';

describe('FAQPage JSON-LD', () => {
  it('writes a piece at a time exactly the JSON of the whole, questions without an answer left out', async () => {
    const { published } = await loadContent(bundledContent);
    expect(published.faq.length).toBeGreaterThan(2);
    const unanswered = { ...published.faq[0], id: 'unanswered', answer: { html: ' ', text: '' } };
    for (const entries of [published.faq, [], [unanswered], [unanswered, ...published.faq]]) {
      const pieces = [...faqPageJsonLdText(entries)];
      expect(pieces.join('')).toBe(JSON.stringify(faqPageJsonLd(entries)));
    }
    expect(faqPageJsonLd([unanswered]).mainEntity).toEqual([]);
  });
});
