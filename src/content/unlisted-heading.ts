import { MAX_IDENTIFIER_LENGTH } from '../../schemas/identifier.ts';
import type { ContentProblem } from '../model/problem.ts';
import type { UnlistedHeading } from '../markdown/sections.ts';

/**
 * `section-id-not-routable`, at a heading that is not a section of its own because no section
 * route takes its id (see outlinePage); `line` is its file line. A heading with no text is left
 * to the `empty-heading` check, which says so already.
 */
export function unlistedHeadingProblem(heading: UnlistedHeading, line: number, column: number): ContentProblem {
  const noId = heading.id === null || heading.id === '';
  const why = noId
    ? 'it has no id (an HTML heading is given none, and a heading of punctuation or emoji only slugs to nothing)'
    : `its id is ${heading.id!.length} characters long, and /v1/pages/{slug}/sections/{id} takes at most ${MAX_IDENTIFIER_LENGTH}`;
  return {
    code: 'section-id-not-routable',
    severity: 'warning',
    line,
    column,
    field: null,
    message: `heading "${heading.title.length > 60 ? `${heading.title.slice(0, 60)}…` : heading.title}" is not a section of its own (its content stays in the section above it, and the table of contents leaves it out): ${why}`,
    hint: noId
      ? 'Give the heading an id: write it in markdown with words (## Title), or set one ({#title}, or id="title" on an HTML heading).'
      : `Give the heading an id of at most ${MAX_IDENTIFIER_LENGTH} characters, or remove the explicit id so one is made from its text.`,
  };
}
