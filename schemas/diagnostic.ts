import { z } from 'zod';
import { DIAGNOSTIC_CODES } from './diagnostic-codes.ts';

/** A problem found in the content, reported as data (never thrown). */
export const DiagnosticSchema = z
  .object({
    code: z
      .enum(DIAGNOSTIC_CODES)
      .describe(
        'Stable kebab-case name of the problem, e.g. invalid-type: one of the codes in docs/reference/diagnostics.md (schemas/diagnostic-codes.ts). Codes may be added, never renamed or removed.',
      ),
    severity: z.enum(['error', 'warning']).describe('An error leaves the page out; a warning does not.'),
    file: z.string().describe('Path relative to the content folder.'),
    line: z.number().int().min(1),
    column: z.number().int().min(1),
    field: z.string().nullable().describe('Front-matter field path such as header.actions[0].url, when the problem is in one.'),
    message: z.string().describe('What is wrong and why.'),
    hint: z.string().describe('What to do about it.'),
  })
  .meta({
    id: 'Diagnostic',
    example: {
      code: 'invalid-type',
      severity: 'error',
      file: 'bad-title.md',
      line: 3,
      column: 1,
      field: 'title',
      message: 'title must be a string (got number 123)',
      hint: 'Quote it: title: "123"',
    },
  });

export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/**
 * Every content problem of one content version, with counts: what `npm run check --format json`
 * prints and GET /v1/diagnostics answers. Its keys are stable; new keys may be added.
 */
export const DiagnosticReportSchema = z
  .object({
    version: z.string().describe('The content version these problems belong to (as in /health).'),
    pages: z.number().int().min(0).describe('Pages served (published; drafts too in preview).'),
    errors: z.number().int().min(0).describe('Problems that leave a page out.'),
    warnings: z.number().int().min(0),
    diagnostics: z.array(DiagnosticSchema).describe('Every problem, by file then line.'),
  })
  .meta({
    id: 'DiagnosticReport',
    description:
      "The content problems of the version being served: the loader's (front matter, YAML, links) and the checks' (anchors, assets, headings, FAQ, titles).",
    example: {
      version: '3f2a9c1e5b7d4a60',
      pages: 5,
      errors: 0,
      warnings: 1,
      diagnostics: [
        {
          code: 'missing-anchor',
          severity: 'warning',
          file: 'index.md',
          line: 33,
          column: 5,
          field: null,
          message: 'link to #community-meeting points at no heading or id on this page',
          hint: 'Did you mean #community-meetings? Headings get GitHub-style ids: lowercase, spaces as hyphens, punctuation dropped.',
        },
      ],
    },
  });

export type DiagnosticReport = z.infer<typeof DiagnosticReportSchema>;
