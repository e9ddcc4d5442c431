import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverContent } from '../../src/content/discover.ts';
import { makeFoldersTooDeepToList, removeTree } from '../helpers/long-path.ts';

describe('discoverContent', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeTree));

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
    const name = makeFoldersTooDeepToList(dir);
    const skipped: [string, string][] = [];
    const files = await discoverContent(dir, undefined, (folder, code) => skipped.push([folder, code]));
    expect(files).toEqual(['guides/setup.md', 'index.md']);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every(([folder, code]) => code === 'ENAMETOOLONG' && folder.startsWith(`${name}/`) && !folder.includes(dir))).toBe(true);
  });

  it('never walks into git, tooling or build folders, whatever the site rules would take', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'discover-unwalked-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'index.md'), '---\ntitle: Home\n---\n');
    for (const folder of ['.git', 'node_modules', 'vendor', '_site', 'docs/node_modules']) {
      await mkdir(path.join(dir, folder, 'deeper'), { recursive: true });
      await writeFile(path.join(dir, folder, 'deeper/readme.md'), '---\ntitle: Not a page\n---\n');
    }
    // A folder in there that cannot be listed is not even looked at, so it is not reported either.
    makeFoldersTooDeepToList(path.join(dir, 'node_modules'));
    const skipped: string[] = [];
    const files = await discoverContent(dir, () => true, (folder) => skipped.push(folder));
    expect(files).toEqual(['index.md']);
    expect(skipped).toEqual([]);
  });

  it('fails when the folder itself cannot be listed', async () => {
    await expect(discoverContent(path.join(tmpdir(), 'no-such-content-folder-here'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
