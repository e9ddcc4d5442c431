import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticReportSchema } from '../../schemas/diagnostic.ts';
import { bundledContent, fixture } from '../helpers/app.ts';

const run = promisify(execFile);
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const check = new URL('../../src/cli/check.ts', import.meta.url).pathname;
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

async function checkFolder(dir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(tsx, [check, ...args], {
      env: { ...process.env, CONTENT_DIR: dir, GITHUB_WORKSPACE: projectRoot },
      maxBuffer: 10 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const temporary: string[] = [];
async function temporaryCopy(from: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'check-'));
  temporary.push(dir);
  if (from) await cp(from, dir, { recursive: true });
  return dir;
}
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Waits until `condition` holds, checking every 50 ms, or fails after `ms`. */
async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm run check', () => {
  it('exits 0 on the bundled content', async () => {
    const result = await checkFolder(bundledContent);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('6 pages, 0 errors, 0 warnings\n');
  });

  it('prints file:line:column severity field message per problem and exits 1 on errors', async () => {
    const dir = fixture('bad-content');
    const result = await checkFolder(dir);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain(
      `${dir}bad-title.md:3:1 error title title must be a string (got number 123) (Quote it: title: "123") [invalid-type]`,
    );
    expect(lines.at(-1)).toBe('3 pages, 4 errors, 2 warnings');
  });

  it('exits 0 when there are warnings only, and reports every content check', async () => {
    const result = await checkFolder(fixture('content-checks/site'));
    expect(result.code).toBe(0);
    const codes = new Set([...result.stdout.matchAll(/\[([a-z-]+)\]$/gm)].map((match) => match[1]));
    expect([...codes].sort()).toEqual([
      'asset-folder-missing',
      'broken-link',
      'duplicate-heading-id',
      'empty-heading',
      'empty-title',
      'faq-without-answer',
      'faq-without-questions',
      'missing-anchor',
      'missing-asset',
    ]);
    expect(result.stdout).toMatch(/guide\.md:11:1 warning - heading "Setup" has the same text as the heading at line 6/);
  });

  it('answers an unknown option, an unknown format or a missing folder with exit code 2 and the usage', async () => {
    for (const result of [
      await checkFolder(bundledContent, '--nope'),
      await checkFolder(bundledContent, '--format', 'xml'),
      await checkFolder('/no/such/folder'),
    ]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('usage: npm run check');
    }
  });
});

describe('npm run check -- --format json', () => {
  it('prints one report {version, pages, errors, warnings, diagnostics} and keeps the exit code', async () => {
    const result = await checkFolder(fixture('bad-content'), '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['version', 'pages', 'errors', 'warnings', 'diagnostics']);
    expect(DiagnosticReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ pages: 3, errors: 4, warnings: 2 });
    expect(report.diagnostics).toContainEqual({
      code: 'invalid-type',
      severity: 'error',
      file: 'bad-title.md',
      line: 3,
      column: 1,
      field: 'title',
      message: 'title must be a string (got number 123)',
      hint: 'Quote it: title: "123"',
    });
  });
});

describe('npm run check -- --format github', () => {
  it('prints a GitHub Actions annotation per problem, with the file relative to the workspace', async () => {
    const result = await checkFolder(fixture('bad-content'), '--format', 'github');
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain(
      '::error file=test/fixtures/bad-content/bad-title.md,line=3,col=1,title=invalid-type (title)::title must be a string (got number 123)%0AQuote it: title: "123"',
    );
    expect(lines).toContain(
      '::warning file=test/fixtures/bad-content/good.md,line=8,col=13,title=broken-link::link to bad-title.md points at no page of this site%0AFix the path, or link to the permalink of an existing page.',
    );
    expect(lines.at(-1)).toBe('3 pages, 4 errors, 2 warnings');
  });
});

describe('npm run check on a large folder', () => {
  it('never writes progress to stdout (and none to a stderr that is not a terminal: only the SITE_URL warning)', async () => {
    const dir = await temporaryCopy('');
    await mkdir(path.join(dir, 'pages'));
    await Promise.all(
      Array.from({ length: 320 }, (_, i) =>
        writeFile(path.join(dir, 'pages', `page-${i}.md`), `---\ntitle: "Page ${i}"\n---\n\n## Part\n\nText of page ${i}.\n`),
      ),
    );
    const result = await checkFolder(dir, '--format', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ pages: 320, errors: 0, warnings: 0 });
    expect(result.stderr).toMatch(/^warning: The public URL of the site is unknown[^\n]*set SITE_URL[^\n]*\n$/);
  });
});

describe('npm run check -- --watch', () => {
  it('prints a fresh report after each change and exits 0 on SIGINT', async () => {
    const dir = await temporaryCopy(bundledContent);
    const child = spawn(tsx, [check, '--watch'], { env: { ...process.env, CONTENT_DIR: dir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => stderr.includes('watching'), 'the first report');
      expect(stdout).toBe('6 pages, 0 errors, 0 warnings\n');

      await writeFile(path.join(dir, 'bad.md'), '---\ntitle: 123\n---\n\nBody.\n');
      await until(() => stdout.includes('6 pages, 1 error, 0 warnings'), 'a report with the new error');
      expect(stdout).toContain('changed: bad.md');
      expect(stdout).toContain('bad.md:2:1 error title title must be a string (got number 123)');

      await writeFile(path.join(dir, 'bad.md'), '---\ntitle: "Fixed"\n---\n\nBody.\n');
      await until(() => stdout.trimEnd().endsWith('7 pages, 0 errors, 0 warnings'), 'a report without it');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
