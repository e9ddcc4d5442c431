import { describe, expect, it } from 'vitest';
import { FaqPageJsonLdSchema } from '../../schemas/faq.ts';
import { loadContent } from '../../src/content/load.ts';
import { faqPageJsonLdText } from '../../src/discovery/faq-jsonld.ts';
import { bundledContent } from '../helpers/app.ts';

const jsonLdOf = (entries: Parameters<typeof faqPageJsonLdText>[0]) =>
  FaqPageJsonLdSchema.parse(JSON.parse([...faqPageJsonLdText(entries)].join('')));

describe('FAQPage JSON-LD', () => {
  it('writes, a piece at a time, a FAQPage of every answered question, questions without an answer left out', async () => {
    const { published } = await loadContent(bundledContent);
    expect(published.faq.length).toBeGreaterThan(2);
    const unanswered = { ...published.faq[0], id: 'unanswered', answer: { html: ' ', text: '' } };
    const expected = published.faq.map((entry) => ({
      '@type': 'Question',
      name: entry.question,
      acceptedAnswer: { '@type': 'Answer', text: entry.answer.html },
    }));
    expect(jsonLdOf(published.faq)).toEqual({ '@context': 'https://schema.org', '@type': 'FAQPage', mainEntity: expected });
    expect(jsonLdOf([unanswered, ...published.faq]).mainEntity).toEqual(expected);
    expect(jsonLdOf([]).mainEntity).toEqual([]);
    expect(jsonLdOf([unanswered]).mainEntity).toEqual([]);
    // One piece per question, between the opening and the close.
    expect([...faqPageJsonLdText(published.faq)]).toHaveLength(published.faq.length + 2);
  });
});
