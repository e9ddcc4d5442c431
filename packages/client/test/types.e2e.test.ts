/**
 * The package as it is published: its generated types match the committed contract, it builds
 * with tsc, and a frontend file using it compiles (TypeScript 5.x, strict, no skipLibCheck), with
 * every `@ts-expect-error` in types/usage.ts refused as it must be.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

describe('@pyos/content-client types', () => {
  it('are what `npm run types` generates from openapi.yaml and the front-matter schema (run it when this fails)', async () => {
    await expect(run(bin('tsx'), ['packages/client/scripts/generate.ts', '--check'], { cwd: root })).resolves.toBeDefined();
  });

  it('build with tsc into dist/ with declarations', async () => {
    await expect(run(bin('tsc'), ['-p', 'packages/client/tsconfig.json'], { cwd: root })).resolves.toBeDefined();
  });

  it('narrow lists to the fields asked for, type front matter and media types, in a file using the package', async () => {
    const { stdout } = await run(bin('tsc'), ['--version'], { cwd: root });
    expect(stdout).toMatch(/^Version 5\./);
    await expect(run(bin('tsc'), ['-p', 'packages/client/test/types/tsconfig.json'], { cwd: root })).resolves.toBeDefined();
  });
});
