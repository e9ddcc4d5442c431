import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundledContent, fixture } from '../helpers/app.ts';

const run = promisify(execFile);
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const check = new URL('../../src/cli/check.ts', import.meta.url).pathname;

async function checkFolder(dir: string, ...args: string[]) {
  try {
    const { stdout } = await run(tsx, [check, ...args], { env: { ...process.env, CONTENT_DIR: dir } });
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

describe('npm run check', () => {
  it('exits 0 on the bundled content', async () => {
    const result = await checkFolder(bundledContent);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('5 pages, 0 errors, 0 warnings\n');
  });

  it('prints file:line:column severity field message per problem and exits 1 on errors', async () => {
    const dir = fixture('bad-content');
    const result = await checkFolder(dir);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain(`${dir}bad-title.md:3:1 error title title must be a string (got number 123) (Quote it: title: "123") [invalid-type]`);
    expect(lines.at(-1)).toBe('3 pages, 4 errors, 2 warnings');
  });

  it('answers an unknown option with exit code 2', async () => {
    expect((await checkFolder(bundledContent, '--nope')).code).toBe(2);
  });
});
