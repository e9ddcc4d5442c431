import { slug } from 'github-slugger';
import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { FilePosition } from '../../model/page-facts.ts';
import type { CheckContext } from './check-context.ts';

/**
 * `duplicate-heading-id`: two headings of a page with the same text get the same GitHub-style id,
 * so github-slugger suffixes the later ones (-1, -2…) and a link to `#setup` always reaches the
 * first. `empty-heading`: a heading with no text has no id and no title in the table of contents.
 * Headings whose id was set explicitly (a kramdown `{#id}`) are not compared.
 */
export function checkHeadings(context: CheckContext): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { record, facts } of context.pages) {
    const first = new Map<string, FilePosition>();
    for (const heading of facts.headings) {
      const { text } = heading;
      const position = { line: heading.line, column: heading.column };
      if (text === '') {
        diagnostics.push({
          code: 'empty-heading', severity: 'warning', file: record.file, ...position, field: null,
          message: 'heading has no text, so it has no id to link to and no title in the table of contents',
          hint: 'Give the heading a title, or remove the heading marks.',
        });
        continue;
      }
      const base = slug(text);
      const id = heading.id ?? '';
      const earlier = first.get(base);
      if (earlier && id !== base && id.startsWith(`${base}-`)) {
        diagnostics.push({
          code: 'duplicate-heading-id', severity: 'warning', file: record.file, ...position, field: null,
          message: `heading "${text}" has the same text as the heading at line ${earlier.line}, so its id is ${id}; links to #${base} reach the first one`,
          hint: 'Reword one of the two headings so that each has its own id.',
        });
      } else if (!earlier) {
        first.set(base, position);
      }
    }
  }
  return diagnostics;
}
