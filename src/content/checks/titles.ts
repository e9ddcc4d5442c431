import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { CheckContext } from './check-context.ts';

/**
 * `empty-title`: front matter that sets `title` to nothing (`title:`, `title: ""`, spaces). The
 * page is then served with an empty title, or one made from its first heading or file name,
 * which is rarely what the author meant.
 */
export function checkTitles(context: CheckContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { record, facts } of context.pages) {
    if (!facts.emptyTitle) continue;
    const served = record.summary.title.trim();
    diagnostics.push({
      code: 'empty-title', severity: 'warning', file: record.file, ...facts.emptyTitle, field: 'title',
      message: served === '' ? 'title is empty, so the page is served with an empty title' : `title is empty, so the page is served as "${served}"`,
      hint: 'Write the title: title: "About us", or remove the key to title the page from its first # heading (or its file name).',
    });
  }
  return diagnostics;
}
