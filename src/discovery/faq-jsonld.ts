import type { FaqEntry, FaqPageJsonLd } from '../../schemas/faq.ts';

/**
 * schema.org FAQPage JSON-LD of FAQ entries, as search engines read it for FAQ rich results:
 * each a Question named by its text, with an accepted Answer holding the answer's HTML. A
 * question without an answer is left out (an Answer must have text).
 */
export function faqPageJsonLd(entries: readonly FaqEntry[]): FaqPageJsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': 'FAQPage',
    // Each answer read once: an entry's answer is inflated from its page each time it is read.
    mainEntity: entries.flatMap((entry) => {
      const html = entry.question.trim() === '' ? '' : entry.answer.html;
      return html.trim() === ''
        ? []
        : [{ '@type': 'Question' as const, name: entry.question, acceptedAnswer: { '@type': 'Answer' as const, text: html } }];
    }),
  };
}
