import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMenus, readNavigationFile } from '../../src/content/navigation-file.ts';
import { fixture, pyopensciCorpus } from '../helpers/app.ts';

describe('readNavigationFile and parseMenus (_data/navigation.yml)', () => {
  it('reads every menu of the pyOpenSci site, with nested links, and no problem', async () => {
    const read = await readNavigationFile(pyopensciCorpus);
    expect(read?.problems).toEqual([]);
    const main = read!.menus.find((menu) => menu.name === 'main')!;
    expect(main.entries.map((entry) => entry.title)).toEqual(['Peer Review', 'Packaging', 'Learn', 'Community', 'Support Us', 'Donate']);
    expect(main.entries[0].children.map((entry) => entry.url)).toContain('/partners.html');
    expect(main.entries.at(-1)).toMatchObject({ url: 'https://give.communityin.org/pyopensci_2024', button: true });
  });

  it('leaves out each bad link alone and reports it at its file, line and column with the field path', async () => {
    const read = await readNavigationFile(fixture('navigation-menus'));
    expect(read!.problems.map(({ file, line, column, field, severity, code }) => ({ file, line, column, field, severity, code }))).toEqual([
      { file: '_data/navigation.yml', line: 13, column: 1, field: 'footer', severity: 'error', code: 'invalid-menu' },
      { file: '_data/navigation.yml', line: 7, column: 9, field: 'main[0].sub-nav[1].title', severity: 'error', code: 'invalid-menu' },
      { file: '_data/navigation.yml', line: 9, column: 9, field: 'main[0].sub-nav[2].title', severity: 'error', code: 'invalid-menu' },
      { file: '_data/navigation.yml', line: 12, column: 5, field: 'main[1].is_button', severity: 'error', code: 'invalid-menu' },
    ]);
    expect(read!.problems[1].message).toBe('title must be text (got number 2024); the link is left out of the menu');
    expect(read!.problems[2].message).toMatch(/^title is required/);
    expect(read!.problems[3].message).toMatch(/^is_button must be true or false \(got string "maybe"\)/);
    expect(parseMenus({ main: [{ title: 'Give', is_button: 'yes' }] }, 'x.yml').menus[0].entries[0].button).toBe(true);
    const [main, docs] = read!.menus;
    expect(main.entries.map((entry) => entry.title)).toEqual(['Guides']);
    expect(main.entries[0].children.map((entry) => entry.title)).toEqual(['Getting started']);
    expect(docs.entries[0].children[0]).toMatchObject({ title: 'Install', url: '/docs/install/#requirements' });
  });

  it('never throws on an alias that cannot be expanded: no menu, and the data loader reports it (yaml-aliases)', async () => {
    expect(await readNavigationFile(fixture('jekyll-site-files'))).toEqual({ menus: [], problems: [] });
  });

  it('checks the navigation file whose menus are served: navigation.json over navigation.yml, as Jekyll uses it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'navigation-'));
    try {
      await mkdir(path.join(dir, '_data'));
      await writeFile(path.join(dir, '_data/navigation.yml'), 'main:\n  - url: /no-title/\n');
      await writeFile(path.join(dir, '_data/navigation.json'), '{"main": [{"title": "Home", "url": "/"}]}');
      const navigation = await readNavigationFile(dir);
      expect(navigation!.problems).toEqual([]);
      expect(navigation!.menus).toMatchObject([{ name: 'main', entries: [{ title: 'Home', url: '/' }] }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file that is not a mapping of menus, and serves none', () => {
    const { menus, problems } = parseMenus(['main'], '_data/navigation.yml');
    expect(menus).toEqual([]);
    expect(problems[0].message).toBe('the file must map menu names to lists of links (got a list); no menu is served');
  });
});
