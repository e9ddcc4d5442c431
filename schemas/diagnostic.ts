import { z } from 'zod';

/** A problem found in the content, reported as data (never thrown). */
export const DiagnosticSchema = z
  .object({
    code: z.string().describe('Stable kebab-case name of the problem, e.g. invalid-type.'),
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
