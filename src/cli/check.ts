import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigSchema } from '../../schemas/config.ts';
import { watchContent } from '../content/watch.ts';
import type { DiagnosticReport } from '../../schemas/diagnostic.ts';
import { diagnoseContent } from '../content/checks/check-snapshot.ts';
import { discoverContent } from '../content/discover.ts';
import { loadContent } from '../content/load.ts';
import { formatReport, REPORT_FORMATS, type ReportFormat } from './check-report.ts';
import { SITE_URL_MISSING, siteBaseUrl } from '../discovery/site-url.ts';
import { NO_PROGRESS, PROGRESS_MIN_PAGES, progressLine } from './progress.ts';

const USAGE = `usage: npm run check [-- --format text|json|github] [--watch]
  Checks the content folder (CONTENT_DIR, default content/) and prints every problem.
  --format text    file:line:column severity field message (hint) [code], then a summary (default)
  --format json    one JSON report: {version, pages, errors, warnings, diagnostics}
  --format github  GitHub Actions annotations (::error file=…,line=…,col=…,title=…::message)
  --watch          check again on every change (JSON: one report per line); Ctrl-C stops
  Exit code: 0 no errors (warnings allowed), 1 errors, 2 usage.`;

class UsageError extends Error {}

/**
 * `npm run check`: validates a content folder the way the service loads it, runs the content
 * checks (anchors, assets, headings, FAQ, titles), and prints every problem. Exit codes: 0 clean
 * (warnings allowed), 1 errors, 2 usage.
 */
async function main(): Promise<number> {
  const { format, watching } = readArguments(process.argv.slice(2));
  const dir = process.env.CONTENT_DIR || 'content';
  if (!(await stat(dir).catch(() => null))?.isDirectory())
    throw new UsageError(`the content folder ${dir} does not exist (set CONTENT_DIR)`);
  if (!watching) {
    const report = await checkFolder(dir);
    process.stdout.write(formatReport(report, format, { dir, workspace: process.env.GITHUB_WORKSPACE }));
    return report.errors > 0 ? 1 : 0;
  }
  await watchFolder(dir, async (changed) => {
    if (changed.length > 0 && format === 'text')
      process.stdout.write(`\n[${new Date().toLocaleTimeString()}] changed: ${changed.join(', ')}\n`);
    try {
      const report = await checkFolder(dir);
      process.stdout.write(formatReport(report, format, { dir, compact: true, workspace: process.env.GITHUB_WORKSPACE }));
    } catch (error) {
      process.stderr.write(`check failed: ${(error as Error).message}\n`);
    }
  });
  return 0;
}

/** EMBED_HOSTS as the server reads it, so the check reports the embeds the server would drop. */
function embedHostsFromEnvironment(): string[] {
  const parsed = ConfigSchema.shape.EMBED_HOSTS.safeParse(process.env.EMBED_HOSTS);
  if (!parsed.success) throw new UsageError(`EMBED_HOSTS: ${parsed.error.issues[0]?.message}`);
  return parsed.data ?? [];
}

function readArguments(args: string[]): { format: ReportFormat; watching: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { format: { type: 'string', default: 'text' }, watch: { type: 'boolean', default: false } },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = values.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`unknown format "${values.format}"; use ${REPORT_FORMATS.join(', ')}`);
  return { format, watching: values.watch === true };
}

/** Loads and checks the folder once; a large folder shows progress on stderr while it does. */
async function checkFolder(dir: string): Promise<DiagnosticReport> {
  const pages = (await discoverContent(path.resolve(dir))).length;
  const progress = pages > PROGRESS_MIN_PAGES ? progressLine(process.stderr) : NO_PROGRESS;
  const started = Date.now();
  const ticking = setInterval(() => progress.update(`loading ${pages} pages… ${Math.round((Date.now() - started) / 1000)} s`), 250);
  try {
    const snapshot = await loadContent(dir, { embedHosts: embedHostsFromEnvironment() });
    clearInterval(ticking);
    const diagnostics = await diagnoseContent(snapshot, dir, {
      onProgress: (done, total) => progress.update(`checking pages ${done}/${total}`),
    });
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (siteBaseUrl(process.env.SITE_URL || undefined, snapshot) === undefined) {
      progress.clear();
      process.stderr.write(`warning: ${SITE_URL_MISSING} Until then /sitemap.xml answers 404 and robots.txt names no sitemap.\n`);
    }
    return {
      version: snapshot.version,
      pages: snapshot.published.pages.length,
      errors,
      warnings: diagnostics.length - errors,
      diagnostics,
    };
  } finally {
    clearInterval(ticking);
    progress.clear();
  }
}

/**
 * Checks the folder, then again after every change (the service's own watcher: folder-level,
 * so editors' atomic saves are seen), until SIGINT or SIGTERM. A change during a check queues
 * one more check.
 */
async function watchFolder(dir: string, check: (changed: string[]) => Promise<void>): Promise<void> {
  await check([]);
  const watcher = watchContent(path.resolve(dir), (changed) => check(changed ?? ['(folder)']));
  await watcher.ready;
  process.stderr.write(`watching ${dir} for changes (Ctrl-C to stop)\n`);
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await watcher.close();
}

process.exitCode = await main().catch((error: Error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  process.stderr.write(`check failed: ${error.message}\n`);
  return 2;
});
