import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJekyllYaml, readJekyllSite } from '../../src/jekyll/site-config.ts';

const corpus = fileURLToPath(new URL('../fixtures/pyopensci-site', import.meta.url));
const scratch: string[] = [];

/** A throw-away site folder holding `files` (path → text). */
async function siteWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jekyll-site-'));
  scratch.push(dir);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readJekyllSite', () => {
  it('returns null for a folder that is not a Jekyll site', async () => {
    expect(await readJekyllSite(await siteWith({ 'index.md': '# hi\n' }))).toBeNull();
  });

  it('reads the real corpus: config, data files and collections, without problems', async () => {
    const site = await readJekyllSite(corpus);
    expect(site).not.toBeNull();
    expect(site!.diagnostics).toEqual([]);
    expect(site!.configFile).toBe('_config.yml');
    expect(site!.config).toMatchObject({ title: 'pyOpenSci', permalink: '/:categories/:title/', include: ['.htaccess', '_pages'] });
    expect(Object.keys(site!.data)).toEqual(['advisory', 'authors', 'blog_topics', 'contributors', 'navigation', 'packages', 'ui-text']);
    expect((site!.data.packages as unknown[]).length).toBe(66);
    expect(site!.collections).toEqual([
      { label: 'posts', output: true, permalink: '/:categories/:title/', dir: '_posts' },
      { label: 'packaging', output: false, permalink: '/:collection/:path/', dir: '_packaging' },
      { label: 'tutorials', output: false, permalink: '/:collection/:path/', dir: '_tutorials' },
      { label: 'packages', output: true, permalink: '/:collection/:path/', dir: '_packages' },
    ]);
  });

  it('finds _config.yml in _data/ too, and leaves it out of the data', async () => {
    const dir = await siteWith({ '_data/_config.yml': 'title: Moved\n', '_data/people.yml': '- Ada\n' });
    const site = await readJekyllSite(dir);
    expect(site).toMatchObject({ configFile: '_data/_config.yml', config: { title: 'Moved' }, data: { people: ['Ada'] } });
  });

  it('nests data from sub-folders and reads JSON', async () => {
    const dir = await siteWith({
      '_config.yml': 'collections: [recipes]\ncollections_dir: my',
      '_data/team/core.yaml': 'lead: Ada\n',
      '_data/links.json': '{"home": "/"}',
      '_data/notes.txt': 'ignored',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toEqual({ links: { home: '/' }, team: { core: { lead: 'Ada' } } });
    expect(site!.collections).toEqual([
      { label: 'posts', output: true, permalink: '/:categories/:year/:month/:day/:title:output_ext', dir: 'my/_posts' },
      { label: 'recipes', output: false, permalink: '/:collection/:path:output_ext', dir: 'my/_recipes' },
    ]);
  });

  it('reports YAML errors with the file, line and column', async () => {
    const dir = await siteWith({ '_config.yml': 'title: ok\n', '_data/menu.yml': 'title: Menu\nhome: about: us\n' });
    const site = await readJekyllSite(dir);
    expect(site!.diagnostics).toEqual([
      {
        code: 'yaml-syntax',
        severity: 'error',
        file: '_data/menu.yml',
        line: 2,
        column: 7,
        field: null,
        message: '_data/menu.yml is not valid YAML: Nested mappings are not allowed in compact mappings',
        hint: 'Quote the value: it contains ": " or starts with "-", so YAML reads it as a nested key.',
      },
    ]);
  });

  it('reads sloppy quoted strings as Jekyll does, with a warning', async () => {
    const dir = await siteWith({ '_config.yml': 'description: "A site\nabout things"\n' });
    const site = await readJekyllSite(dir);
    expect(site!.config).toEqual({ description: 'A site about things' });
    expect(site!.diagnostics).toEqual([
      expect.objectContaining({ code: 'quoted-scalar-under-indented', severity: 'warning', file: '_config.yml', line: 2, column: 1 }),
    ]);
  });
});

describe('parseJekyllYaml', () => {
  it('shifts line numbers by the offset of the YAML in its file', () => {
    const { diagnostics } = parseJekyllYaml('title: "a\nb"\nkey: [', 'post.md', 1);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['quoted-scalar-under-indented', 3],
      ['yaml-syntax', 4],
    ]);
  });

  it('keeps the last of duplicate keys, as Jekyll does', () => {
    expect(parseJekyllYaml('classes:\nclasses: wide\n', 'page.md')).toEqual({ value: { classes: 'wide' }, diagnostics: [] });
  });
});
