import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { FaqFacts, FilePosition } from '../../model/page-facts.ts';
import type { SectionNode } from '../../model/section-node.ts';
import { faqSections, type FaqQuestion } from '../../markdown/faq.ts';
import type { CheckContext, CheckedPage } from './check-context.ts';

/**
 * `faq-without-answer`: a question under a FAQ heading with nothing under it, served as an
 * entry with an empty answer. `faq-without-questions`: a FAQ heading with no questions under
 * it (headings, or bold paragraphs ending with `?`), so the page has no FAQ entries.
 * Both read the page as served, from the facts its render took (see {@link faqFactsOf}).
 */
export function checkFaq(context: CheckContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const page of context.pages) {
    const { record, facts } = page;
    const { emptyHeadings, unanswered } = facts.faq;
    if (emptyHeadings.length === 0 && unanswered.length === 0) continue;
    const positionOf = headingPositions(page);
    for (const heading of emptyHeadings) {
      diagnostics.push({
        code: 'faq-without-questions', severity: 'warning', file: record.file, ...positionOf(heading.id), field: null,
        message: `FAQ heading "${heading.title}" has no questions under it, so the page has no FAQ entries`,
        hint: `Write each question as a heading one level below it (${'#'.repeat(Math.min(heading.level + 1, 6))} Question?) or as a bold paragraph ending with ? (**Question?**), with its answer under it.`,
      });
    }
    for (const entry of unanswered) {
      diagnostics.push({
        code: 'faq-without-answer', severity: 'warning', file: record.file, ...positionOf(entry.id), field: null,
        message: `FAQ question "${entry.question}" has no answer: it is served with an empty one`,
        hint: 'Write the answer under the question heading, before the next heading.',
      });
    }
  }
  return diagnostics;
}

/**
 * What {@link checkFaq} needs of a page, taken by its render from the sections and questions it
 * serves: the check then reads no page again.
 */
export function faqFactsOf(sections: SectionNode[], questions: readonly FaqQuestion[]): FaqFacts {
  const emptyHeadings: FaqFacts['emptyHeadings'] = [];
  for (const section of faqSections(sections)) {
    // Questions written in bold in the section's body are entries too (their ids are in its HTML).
    const written = questions.some((question) => section.html.includes(`id="${question.id}"`));
    if (section.children.length === 0 && !written) emptyHeadings.push({ id: section.id, title: section.title, level: section.level });
  }
  const unanswered = questions
    .filter((question) => question.answer.text.trim() === '' && question.answer.html.trim() === '')
    .map(({ id, question }) => ({ id, question }));
  return { emptyHeadings, unanswered };
}

/** Where each heading id of a page is in its file (the body's first line for ids the source does not show). */
function headingPositions(page: CheckedPage): (id: string) => FilePosition {
  const positions = new Map<string, FilePosition>();
  for (const heading of page.facts.headings) {
    if (heading.id !== null && !positions.has(heading.id)) positions.set(heading.id, { line: heading.line, column: heading.column });
  }
  return (id) => positions.get(id) ?? { line: page.facts.bodyLine, column: 1 };
}
