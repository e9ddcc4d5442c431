import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentLimits } from '../../src/content/limits.ts';
import { createSafeFileReader } from '../../src/content/safe-file.ts';
import { createSiteRulesSource, readSiteSources } from '../../src/content/site-rules-loader.ts';

describe('the site rules source', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function site(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'site-rules-'));
    dirs.push(dir);
    await mkdir(path.join(dir, '_data'));
    await writeFile(path.join(dir, '_config.yml'), 'title: Cached\n');
    await writeFile(path.join(dir, '_data', 'team.yml'), '- name: Ada\n');
    await writeFile(path.join(dir, 'index.md'), '---\ntitle: Home\n---\n');
    return dir;
  }

  it('parses the site files again only when one of them changed, not on a page edit', async () => {
    const dir = await site();
    let reads = 0;
    const current = createSiteRulesSource(createSafeFileReader(dir), () => (reads++, readSiteSources(dir)));
    const first = await current();
    await writeFile(path.join(dir, 'index.md'), '---\ntitle: Edited\n---\n');
    expect(await current()).toBe(first);
    expect(reads).toBe(1);

    // Same bytes, new time (a checkout): read again, but the rules made before still hold.
    const later = new Date(Date.now() + 5000);
    await utimes(path.join(dir, '_data', 'team.yml'), later, later);
    const touched = await current();
    expect(reads).toBe(2);
    expect(touched.rules).toBe(first.rules);

    await writeFile(path.join(dir, '_data', 'team.yml'), '- name: Grace\n');
    const changed = await current();
    expect(reads).toBe(3);
    expect(changed.key).not.toBe(first.key);
    expect(changed.rules.data).toEqual({ team: [{ name: 'Grace' }] });
  });

  it('reads the site files again when an empty folder is added to _data/, since it is a key of site.data', async () => {
    const dir = await site();
    let reads = 0;
    const current = createSiteRulesSource(createSafeFileReader(dir), () => (reads++, readSiteSources(dir)));
    await current();
    await mkdir(path.join(dir, '_data', 'archive'));
    const changed = await current();
    expect(reads).toBe(2);
    expect(changed.rules.data).toEqual({ team: [{ name: 'Ada' }], archive: {} });
  });

  it('caps each site file before reading it, reporting the file', async () => {
    const dir = await site();
    await writeFile(path.join(dir, '_data', 'huge.yml'), 'x'.repeat(contentLimits.maxDataFileBytes + 1));
    const sources = await readSiteSources(dir);
    expect(sources.jekyll!.diagnostics).toEqual([expect.objectContaining({ file: '_data/huge.yml', code: 'file-too-large', severity: 'error' })]);
    expect(Object.keys(sources.jekyll!.data)).toEqual(['team']);
  });
});
