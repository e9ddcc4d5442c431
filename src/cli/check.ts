import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { loadContent } from '../content/load.ts';

/**
 * `npm run check`: validates a content folder (CONTENT_DIR, default content/) and prints one
 * line per problem as `file:line:column severity field message`, then a summary.
 * Exit codes: 0 clean (warnings allowed), 1 errors, 2 usage.
 */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { format: { type: 'string', default: 'text' } }, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: npm run check [-- --format text|json]\n`);
    return 2;
  }
  if (!['text', 'json'].includes(values.format!)) {
    process.stderr.write(`unknown format "${values.format}"; use text or json\n`);
    return 2;
  }
  const dir = process.env.CONTENT_DIR || 'content';
  const snapshot = await loadContent(dir);
  const diagnostics = snapshot.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (values.format === 'json') {
    process.stdout.write(`${JSON.stringify({ pages: snapshot.published.pages.length, errors, warnings, diagnostics }, null, 2)}\n`);
  } else {
    for (const diagnostic of diagnostics) process.stdout.write(`${formatLine(dir, diagnostic)}\n`);
    process.stdout.write(`${snapshot.published.pages.length} pages, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}

function formatLine(dir: string, d: Diagnostic): string {
  const file = path.join(dir, d.file).split(path.sep).join('/');
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${file}:${d.line}:${d.column} ${d.severity} ${d.field ?? '-'} ${d.message}${hint} [${d.code}]`;
}

process.exitCode = await main().catch((error: Error) => {
  process.stderr.write(`check failed: ${error.message}\n`);
  return 2;
});
