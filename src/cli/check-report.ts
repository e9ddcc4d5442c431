import path from 'node:path';
import type { Diagnostic, DiagnosticReport } from '../../schemas/diagnostic.ts';

/** How `npm run check` prints a report. */
export const REPORT_FORMATS = ['text', 'json', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface FormatOptions {
  /** The content folder as given (CONTENT_DIR), to print file paths the way the user wrote it. */
  dir: string;
  /** JSON on one line (one report per line, as --watch prints them) rather than indented. */
  compact?: boolean;
  /** Where GitHub Actions checked out the repository: annotation paths are relative to it. */
  workspace?: string;
}

/**
 * The report as text for stdout:
 * - text: `file:line:column severity field message (hint) [code]` per problem, then a summary;
 * - json: the {@link DiagnosticReport} (version, pages, errors, warnings, diagnostics);
 * - github: GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`),
 *   which show each problem on its line of a pull request, then the summary.
 */
export function formatReport(report: DiagnosticReport, format: ReportFormat, options: FormatOptions): string {
  if (format === 'json') return `${JSON.stringify(report, null, options.compact ? undefined : 2)}\n`;
  const line = format === 'github' ? (d: Diagnostic) => githubAnnotation(d, options) : (d: Diagnostic) => textLine(d, options.dir);
  return [...report.diagnostics.map(line), summary(report)].join('\n') + '\n';
}

/** `5 pages, 1 error, 0 warnings` */
export function summary(report: DiagnosticReport): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(report.pages, 'page')}, ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`;
}

function textLine(d: Diagnostic, dir: string): string {
  const file = path.join(dir, d.file).split(path.sep).join('/');
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${file}:${d.line}:${d.column} ${d.severity} ${d.field ?? '-'} ${d.message}${hint} [${d.code}]`;
}

/** https://docs.github.com/actions/reference/workflow-commands-for-github-actions#setting-an-error-message */
function githubAnnotation(d: Diagnostic, options: FormatOptions): string {
  const workspace = options.workspace ?? process.cwd();
  const file = path.relative(workspace, path.resolve(options.dir, d.file)).split(path.sep).join('/');
  const title = d.field ? `${d.code} (${d.field})` : d.code;
  const properties = `file=${escapeProperty(file)},line=${d.line},col=${d.column},title=${escapeProperty(title)}`;
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${d.severity} ${properties}::${escapeData(message)}`;
}

function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
