import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { FilePosition } from '../../model/page-facts.ts';
import { isFaqHeading } from '../../markdown/faq.ts';
import { walkSections } from '../../markdown/sections.ts';
import type { CheckContext, CheckedPage } from './check-context.ts';

/**
 * `faq-without-answer`: a question under a FAQ heading with nothing under it, served as an
 * entry with an empty answer. `faq-without-questions`: a FAQ heading with no questions under
 * it (headings, or bold paragraphs ending with `?`), so the page has no FAQ entries.
 * Both read the page as served.
 */
export function checkFaq(context: CheckContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const page of context.pages) {
    const { record } = page;
    // Most pages have nothing to report: their headings are looked up only for a problem.
    let positions: ((id: string) => FilePosition) | undefined;
    const positionOf = (id: string) => (positions ??= headingPositions(page))(id);
    for (const section of walkSections(record.outline)) {
      if (!isFaqHeading(section.title)) continue;
      // Questions written in bold in the section's body are entries too (their ids are in its HTML).
      const writtenQuestions = record.faq.some((entry) => section.html.includes(`id="${entry.id}"`));
      if (section.children.length === 0 && !writtenQuestions) {
        diagnostics.push({
          code: 'faq-without-questions', severity: 'warning', file: record.file, ...positionOf(section.id), field: null,
          message: `FAQ heading "${section.title}" has no questions under it, so the page has no FAQ entries`,
          hint: `Write each question as a heading one level below it (${'#'.repeat(Math.min(section.level + 1, 6))} Question?) or as a bold paragraph ending with ? (**Question?**), with its answer under it.`,
        });
      }
    }
    for (const entry of record.faq) {
      if (entry.answer.text.trim() !== '' || entry.answer.html.trim() !== '') continue;
      diagnostics.push({
        code: 'faq-without-answer', severity: 'warning', file: record.file, ...positionOf(entry.id), field: null,
        message: `FAQ question "${entry.question}" has no answer: it is served with an empty one`,
        hint: 'Write the answer under the question heading, before the next heading.',
      });
    }
  }
  return diagnostics;
}

/** Where each heading id of a page is in its file (the body's first line for ids the source does not show). */
function headingPositions(page: CheckedPage): (id: string) => FilePosition {
  const positions = new Map<string, FilePosition>();
  for (const heading of page.facts.headings) {
    if (heading.id !== null && !positions.has(heading.id)) positions.set(heading.id, { line: heading.line, column: heading.column });
  }
  return (id) => positions.get(id) ?? { line: page.facts.bodyLine, column: 1 };
}
