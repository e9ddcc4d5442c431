import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../', import.meta.url);

describe('OpenAPI document', () => {
  it('passes Redocly lint (recommended-strict) with no error and no warning', async () => {
    // redocly.yaml extends recommended-strict: any warning is an error, and the exit code says so.
    const { stdout, stderr } = await run(
      new URL('node_modules/.bin/redocly', root).pathname,
      ['lint', 'openapi.yaml', '--format=summary'],
      {
        cwd: root,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout: string; stderr: string }) => ({ stdout: `${error.stdout}\nlint failed`, stderr: error.stderr }));
    const output = `${stdout}\n${stderr}`;
    expect(output, output).toContain('Your API description is valid');
    expect(output, output).not.toMatch(/lint failed|You have \d+ warning/);
  });
});
