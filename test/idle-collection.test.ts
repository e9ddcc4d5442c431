import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/idle-collection/after-a-load.ts');

/** What the fixture reports: the young generation grown by a load, then 3.5 s with collectWhenQuiet armed. */
function run(busy: boolean) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, BUSY: busy ? '1' : '0', CHECK_MS: '1000' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as {
    grown: number;
    after: number;
    collections: number;
    max: number;
    gcInMain: string;
    gcInNewContext: string;
  };
}

describe('collectWhenQuiet (armed by src/server.ts after each version)', () => {
  it('gives back the young generation a load grew once the service is quiet, in a few collections', () => {
    const report = run(false);
    expect(report.grown).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(report.after).toBeLessThan(report.grown / 4);
    expect(report.collections).toBeGreaterThanOrEqual(1);
    expect(report.collections).toBeLessThanOrEqual(report.max);
    // The flag that lends `gc` is set only to make its own context: no other gets it.
    expect([report.gcInMain, report.gcInNewContext]).toEqual(['undefined', 'undefined']);
  }, 60_000);

  it('asks for no collection while the event loop is busy', () => {
    const report = run(true);
    expect(report.collections).toBe(0);
  }, 60_000);
});
