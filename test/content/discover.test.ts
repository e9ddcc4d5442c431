import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverContent } from '../../src/content/discover.ts';

describe('discoverContent', () => {
  const dirs: string[] = [];
  // rm -rf: node:fs cannot remove a tree whose paths are longer than the system allows.
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }).catch(() => execFileSync('rm', ['-rf', dir])))));

  it('lists the same pages, relative with / separators and sorted, however the folder is named', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'discover-'));
    dirs.push(dir);
    for (const folder of ['_posts/2026', 'guides/a b', '_includes', '.git', 'node_modules/x']) await mkdir(path.join(dir, folder), { recursive: true });
    for (const file of ['index.md', 'about.html', 'notes.txt', '_posts/2026/hello.md', 'guides/a b/c.markdown', 'guides/draft.md~', '_includes/x.md', '.git/y.md', 'node_modules/x/z.md'])
      await writeFile(path.join(dir, file), '---\ntitle: x\n---\n');
    const expected = ['_posts/2026/hello.md', 'about.html', 'guides/a b/c.markdown', 'index.md'];
    const relative = path.relative(process.cwd(), dir);
    for (const spelling of [dir, `${dir}/`, `${dir}/.`, relative, `./${relative}`]) expect(await discoverContent(spelling), spelling).toEqual(expected);
  });

  it('gives requests turns while it goes through a folder of thousands of files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'discover-many-'));
    dirs.push(dir);
    await Promise.all(Array.from({ length: 6000 }, (_, i) => writeFile(path.join(dir, `page-${i}.md`), '')));
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    // Turns counted while the files are gone through (not while the folder is read).
    let turnsAtFirst: number | undefined;
    let turnsAtLast = 0;
    // A filter as slow as a site's rules can be: the loop alone then takes far longer than a slice.
    const files = await discoverContent(dir, (file) => {
      turnsAtFirst ??= turns;
      turnsAtLast = turns;
      const until = performance.now() + 0.01;
      while (performance.now() < until);
      return file.endsWith('.md');
    });
    clearInterval(ticking);
    expect(files).toHaveLength(6000);
    expect(turnsAtLast - turnsAtFirst!).toBeGreaterThan(2);
  });

  it('passes over a folder it cannot list, names it, and lists every page beside it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'discover-long-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'index.md'), '---\ntitle: Home\n---\n');
    await mkdir(path.join(dir, 'guides'));
    await writeFile(path.join(dir, 'guides/setup.md'), '---\ntitle: Setup\n---\n');
    // Sixteen folders of 255-character names, made one step at a time (as git checks them out):
    // the deepest folders' paths are longer than the system allows, so they cannot be listed.
    const name = 'd'.repeat(255);
    const make = `const fs = require('node:fs'); for (let i = 0; i < 16; i++) { fs.mkdirSync('${name}'); process.chdir('${name}'); } fs.writeFileSync('deep.md', '---\\ntitle: Deep\\n---\\n');`;
    execFileSync(process.execPath, ['-e', make], { cwd: dir });
    const skipped: [string, string][] = [];
    const files = await discoverContent(dir, undefined, (folder, code) => skipped.push([folder, code]));
    expect(files).toEqual(['guides/setup.md', 'index.md']);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every(([folder, code]) => code === 'ENAMETOOLONG' && folder.startsWith(`${name}/`) && !folder.includes(dir))).toBe(true);
  });

  it('fails when the folder itself cannot be listed', async () => {
    await expect(discoverContent(path.join(tmpdir(), 'no-such-content-folder-here'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
