import type { FaqEntry, FaqPageJsonLd } from '../../schemas/faq.ts';

type FaqQuestionJsonLd = FaqPageJsonLd['mainEntity'][number];

/** The FAQPage around its questions. */
const FAQ_PAGE = { '@context': 'https://schema.org', '@type': 'FAQPage' } as const;

/** An entry as a schema.org Question, or null for one without a question or an answer (an Answer must have text). */
function questionOf(entry: FaqEntry): FaqQuestionJsonLd | null {
  // The answer read once: an entry's answer is inflated from its page each time it is read.
  const html = entry.question.trim() === '' ? '' : entry.answer.html;
  if (html.trim() === '') return null;
  return { '@type': 'Question', name: entry.question, acceptedAnswer: { '@type': 'Answer', text: html } };
}

/**
 * schema.org FAQPage JSON-LD of FAQ entries, as search engines read it for FAQ rich results: each
 * a Question named by its text, with an accepted Answer holding the answer's HTML; a question
 * without an answer is left out. As JSON text, a piece at a time (the opening, then each
 * question, then the close), for a caller that serializes thousands of entries a few at a time:
 * at 10,000 pages the unfiltered FAQPage is 17 MB, whose answers are each inflated from their page.
 */
export function* faqPageJsonLdText(entries: Iterable<FaqEntry>): Generator<string> {
  const envelope = JSON.stringify({ ...FAQ_PAGE, mainEntity: [] } satisfies FaqPageJsonLd);
  // The questions go inside the empty list the envelope ends with: `[]}`.
  const listAt = envelope.length - 2;
  yield envelope.slice(0, listAt);
  let separator = '';
  for (const entry of entries) {
    const question = questionOf(entry);
    if (!question) continue;
    yield separator + JSON.stringify(question);
    separator = ',';
  }
  yield envelope.slice(listAt);
}
