import { describe, expect, it } from 'vitest';
import type { DiagnosticReport } from '../../schemas/diagnostic.ts';
import { formatReport } from '../../src/cli/check-report.ts';

const report: DiagnosticReport = {
  version: 'abc',
  pages: 1,
  errors: 1,
  warnings: 0,
  diagnostics: [
    {
      code: 'yaml-syntax',
      severity: 'error',
      file: 'notes, draft.md',
      line: 4,
      column: 2,
      field: null,
      message: 'front matter is not valid YAML: 100% broken\nat: here',
      hint: 'Quote the value.',
    },
  ],
};

describe('formatReport', () => {
  it('escapes GitHub annotation properties (: and ,) and data (%, newlines)', () => {
    expect(formatReport(report, 'github', { dir: 'site', workspace: process.cwd() })).toBe(
      '::error file=site/notes%2C draft.md,line=4,col=2,title=yaml-syntax::front matter is not valid YAML: 100%25 broken%0Aat: here%0AQuote the value.\n' +
        '1 page, 1 error, 0 warnings\n',
    );
  });

  it('prints JSON indented, or on one line for --watch', () => {
    expect(formatReport(report, 'json', { dir: 'site' })).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(formatReport(report, 'json', { dir: 'site', compact: true })).toBe(`${JSON.stringify(report)}\n`);
  });
});
