import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { contentLimits } from '../../src/content/limits.ts';
import { parseJekyllYaml, readJekyllSite } from '../../src/jekyll/site-config.ts';

const corpus = fileURLToPath(new URL('../fixtures/pyopensci-site', import.meta.url));
/** A `_config.yml` and `_data/` files written to trip the reader (test/fixtures/jekyll-site-files). */
const hostile = fileURLToPath(new URL('../fixtures/jekyll-site-files', import.meta.url));
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

describe('readJekyllSite on _data entries that give one key (as Jekyll 4 reads them)', () => {
  const warningsOf = (site: { diagnostics: { code: string; file: string; message: string }[] } | null) =>
    site!.diagnostics.map(({ code, file, message }) => ({ code, file, message }));

  it('uses x.json over x.yml over x.yaml, as Jekyll reads .yaml, .yml then .json files, with a duplicate-data-key warning at each file not used', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/proto.yaml': 'from: yaml\n',
      '_data/proto.yml': 'from: yml\n',
      '_data/proto.json': '{"from": "json"}',
      '_data/zeta.yml': '- z\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ proto: { from: 'json' }, zeta: ['z'] });
    // A key stays where Jekyll's hash first got it: proto.yaml is read before zeta.yml.
    expect(Object.keys(site!.data)).toEqual(['proto', 'zeta']);
    expect(warningsOf(site)).toEqual([
      {
        code: 'duplicate-data-key',
        file: '_data/proto.yaml',
        message:
          '_data/proto.yaml is not used: _data/proto.json gives the same key, site.data.proto, and Jekyll keeps that one (it reads .json files after .yaml ones)',
      },
      {
        code: 'duplicate-data-key',
        file: '_data/proto.yml',
        message:
          '_data/proto.yml is not used: _data/proto.json gives the same key, site.data.proto, and Jekyll keeps that one (it reads .json files after .yml ones)',
      },
    ]);
  });

  it('replaces a data file with the folder of its name, not merging them, with a warning at the file', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/team.yml': 'lead: Grace\nsize: 2\n',
      '_data/team/core.yml': 'lead: Ada\n',
      '_data/team/core.json': '{"lead": "Ada"}',
      // A folder is an entry even without data files: {} in Jekyll.
      '_data/docs.json': '["a"]',
      '_data/docs/README.md': '# Docs\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ docs: {}, team: { core: { lead: 'Ada' } } });
    expect(warningsOf(site)).toEqual([
      {
        code: 'duplicate-data-key',
        file: '_data/team.yml',
        message:
          '_data/team.yml is not used: _data/team gives the same key, site.data.team, and Jekyll keeps that one (a folder replaces a data file of its name)',
      },
      {
        code: 'duplicate-data-key',
        file: '_data/docs.json',
        message:
          '_data/docs.json is not used: _data/docs gives the same key, site.data.docs, and Jekyll keeps that one (a folder replaces a data file of its name)',
      },
      {
        code: 'duplicate-data-key',
        file: '_data/team/core.yml',
        message:
          '_data/team/core.yml is not used: _data/team/core.json gives the same key, site.data.team.core, and Jekyll keeps that one (it reads .json files after .yml ones)',
      },
    ]);
  });

  it('keys files and folders as Jekyll sanitizes their names: a.b.yml is ab, "my file.yml" my_file, and of a.b.yml and ab.yml the last in name order wins', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/a.b.yml': 'from: a.b\n',
      '_data/ab.yml': 'from: ab\n',
      '_data/my file.yml': '- x\n',
      '_data/ui.text/labels.json': '{"ok": "OK"}',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ ab: { from: 'ab' }, my_file: ['x'], uitext: { labels: { ok: 'OK' } } });
    expect(warningsOf(site)).toEqual([
      {
        code: 'duplicate-data-key',
        file: '_data/a.b.yml',
        message:
          '_data/a.b.yml is not used: _data/ab.yml gives the same key, site.data.ab, and Jekyll keeps that one (the last in name order wins)',
      },
    ]);
  });

  it('never reads a data file or folder whose key is __proto__, constructor or prototype once its name is sanitized', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/proto.type.yml': 'polluted: yes\n',
      '_data/__proto__!.json': '{"polluted": true}',
      '_data/con.structor/names.yml': 'polluted: yes\n',
      '_data/people.yml': '- Ada\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ people: ['Ada'] });
    expect(Object.hasOwn(site!.data, 'prototype')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(site!.diagnostics.map(({ code, file, hint }) => ({ code, file, hint }))).toEqual([
      { code: 'unsafe-key', file: '_data/proto.type.yml', hint: 'Rename the file.' },
      { code: 'unsafe-key', file: '_data/__proto__!.json', hint: 'Rename the file.' },
      { code: 'unsafe-key', file: '_data/con.structor/names.yml', hint: 'Rename the folder.' },
    ]);
    expect(site!.diagnostics[0].message).toBe(
      "_data/proto.type.yml is not read: its name would be the key prototype of site.data, which code could take for the object's own prototype",
    );
  });

  it('reads an entry of _data/ whose key /v1/data/{name} could not be asked for (over 200 characters) into site.data, as Jekyll does, with a data-name-not-routable warning at it', async () => {
    const long = 'k'.repeat(201);
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      [`_data/${long}.yml`]: 'a: 1\n',
      [`_data/${long.slice(1)}x/inner.yml`]: 'c: 3\n',
      [`_data/team/${long}.yml`]: '- Ada\n',
      [`_data/${'k'.repeat(200)}.json`]: '{"fits": true}',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({
      [long]: { a: 1 },
      [`${long.slice(1)}x`]: { inner: { c: 3 } },
      [long.slice(1)]: { fits: true },
      team: { [long]: ['Ada'] },
    });
    // A file in a sub-folder is served within its folder's JSON, whatever its name: only the top level is checked.
    expect(
      site!.diagnostics.map(({ code, severity, file, line, column, field }) => ({ code, severity, file, line, column, field })),
    ).toEqual([
      { code: 'data-name-not-routable', severity: 'warning', file: `_data/${long}.yml`, line: 1, column: 1, field: null },
      { code: 'data-name-not-routable', severity: 'warning', file: `_data/${long.slice(1)}x`, line: 1, column: 1, field: null },
    ]);
    expect(site!.diagnostics[0].message).toBe(
      `_data/${long}.yml is in site.data, as Jekyll has it, but its key, ${'k'.repeat(40)}…, is 201 characters long and /v1/data/{name} takes at most 200: no request can get it, and /v1/data does not name it`,
    );
    expect(site!.diagnostics[1].hint).toContain('Rename the folder');
  });

  it('reads CSV and TSV data files into site.data as Jekyll does: each row a map of header to text', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/people.csv': 'name,role\nAda,"lead, core"\nGrace,\n',
      '_data/team/roles.tsv': 'role\tname\nlead\tAda\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({
      people: [
        { name: 'Ada', role: 'lead, core' },
        { name: 'Grace', role: null },
      ],
      team: { roles: [{ role: 'lead', name: 'Ada' }] },
    });
    expect(site!.diagnostics).toEqual([]);
  });

  it('orders CSV and TSV files as Jekyll does: x.csv over x.json and x.yml, x.tsv over x.csv, a folder x/ over all', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/people.yml': '- name: From YAML\n',
      '_data/people.csv': 'name\nFrom CSV\n',
      '_data/roles.csv': 'role\nfrom csv\n',
      '_data/roles.tsv': 'role\nfrom tsv\n',
      '_data/team.tsv': 'name\nFrom TSV\n',
      '_data/team/core.yml': '- Ada\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({
      people: [{ name: 'From CSV' }],
      roles: [{ role: 'from tsv' }],
      team: { core: ['Ada'] },
    });
    expect(warningsOf(site)).toEqual([
      {
        code: 'duplicate-data-key',
        file: '_data/people.yml',
        message:
          '_data/people.yml is not used: _data/people.csv gives the same key, site.data.people, and Jekyll keeps that one (it reads .csv files after .yml ones)',
      },
      expect.objectContaining({ code: 'duplicate-data-key', file: '_data/roles.csv' }),
      expect.objectContaining({ code: 'duplicate-data-key', file: '_data/team.tsv' }),
    ]);
  });

  it('reports a malformed CSV at its line and column, even when it loses its key, and serves the rest', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/people.csv': 'name,role\nAda,"lead\n',
      '_data/people.tsv': 'name\nGrace\n',
      '_data/events.csv': 'name\n"Launch" party\n',
      '_data/places.yml': '- Paris\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ people: [{ name: 'Grace' }], places: ['Paris'] });
    expect(site!.diagnostics.map(({ code, severity, file, line, column }) => ({ code, severity, file, line, column }))).toEqual([
      { code: 'csv-syntax', severity: 'error', file: '_data/events.csv', line: 2, column: 9 },
      { code: 'duplicate-data-key', severity: 'warning', file: '_data/people.csv', line: 1, column: 1 },
      { code: 'csv-syntax', severity: 'error', file: '_data/people.csv', line: 2, column: 5 },
    ]);
  });

  it('reads CSV and TSV as csv_reader and tsv_reader say, and says at its line what it does not apply (data-format-unsupported)', async () => {
    const dir = await siteWith({
      '_config.yml': [
        'title: Site',
        'encoding: bom|utf-8',
        'csv_reader:',
        '  headers: false',
        '  csv_converters: [numeric]',
        'tsv_reader:',
        '  converters: [all]',
        '  encoding: Shift_JIS',
        '',
      ].join('\n'),
      '_data/counts.csv': '\uFEFFname,count\nAda,3\n',
      '_data/roles.tsv': 'role\nlead\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({
      counts: [
        ['name', 'count'],
        ['Ada', '3'],
      ],
      roles: [{ role: 'lead' }],
    });
    expect(site!.diagnostics.map(({ code, severity, file, line, field }) => ({ code, severity, file, line, field }))).toEqual([
      { code: 'data-format-unsupported', severity: 'warning', file: '_config.yml', line: 5, field: 'csv_reader.csv_converters' },
      { code: 'data-format-unsupported', severity: 'warning', file: '_config.yml', line: 8, field: 'tsv_reader.encoding' },
      { code: 'data-format-unsupported', severity: 'warning', file: '_config.yml', line: 7, field: 'tsv_reader.converters' },
    ]);
    expect(site!.diagnostics[0].message).toBe(
      'csv_reader.csv_converters is not applied here: where Jekyll turns CSV fields into numbers or dates, this service keeps the text ("42", not 42)',
    );
  });

  it('says nothing of csv_reader settings when the site has no CSV file, and refuses a csv_reader that is not a map', async () => {
    const quiet = await readJekyllSite(
      await siteWith({ '_config.yml': 'csv_reader: { csv_converters: [numeric] }\n', '_data/a.yml': '[]' }),
    );
    expect(quiet!.diagnostics).toEqual([]);
    const bad = await readJekyllSite(await siteWith({ '_config.yml': 'csv_reader: yes\n', '_data/a.csv': 'x\n1\n' }));
    expect(bad!.data).toStrictEqual({ a: [{ x: '1' }] });
    expect(bad!.diagnostics.map(({ code, line, field }) => ({ code, line, field }))).toEqual([
      { code: 'invalid-config', line: 1, field: 'csv_reader' },
    ]);
  });

  it('reads an empty sub-folder, and one holding only empty folders, as {}, as Jekyll does', async () => {
    const dir = await siteWith({ '_config.yml': 'title: Site\n', '_data/people.yml': '- Ada\n' });
    await mkdir(path.join(dir, '_data/archive'));
    await mkdir(path.join(dir, '_data/team/core'), { recursive: true });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ people: ['Ada'], archive: {}, team: { core: {} } });
    expect(site!.diagnostics).toEqual([]);
  });

  it('parses an entry that loses its key too, reporting its errors (Jekyll fails its build on them), and still serves the one used', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Site\n',
      '_data/people.yml': 'lead: [Ada\n',
      '_data/people.json': '{"lead": "Grace"}',
      '_data/a.b/menu.yml': 'home: about: us\n',
      '_data/ab/menu.yml': 'home: /\n',
      '_data/huge.yml': 'x'.repeat(contentLimits.maxDataFileBytes + 1),
      '_data/huge.json': '[1]',
    });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ people: { lead: 'Grace' }, huge: [1], ab: { menu: { home: '/' } } });
    expect(site!.diagnostics.map(({ code, severity, file, line }) => ({ code, severity, file, line }))).toEqual([
      { code: 'duplicate-data-key', severity: 'warning', file: '_data/huge.yml', line: 1 },
      { code: 'file-too-large', severity: 'error', file: '_data/huge.yml', line: 1 },
      { code: 'duplicate-data-key', severity: 'warning', file: '_data/people.yml', line: 1 },
      { code: 'yaml-syntax', severity: 'error', file: '_data/people.yml', line: 2 },
      { code: 'duplicate-data-key', severity: 'warning', file: '_data/a.b', line: 1 },
      { code: 'yaml-syntax', severity: 'error', file: '_data/a.b/menu.yml', line: 1 },
    ]);
  });

  it('does not read a data file whose extension is not in lower case, as Jekyll on Linux, and says so (data-extension-case)', async () => {
    const dir = await siteWith({ '_config.yml': 'title: Site\n', '_data/People.YML': '- Ada\n', '_data/team/core.Json': '{}' });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ team: {} });
    expect(warningsOf(site)).toEqual([
      {
        code: 'data-extension-case',
        file: '_data/People.YML',
        message:
          '_data/People.YML is not read, by Jekyll nor here: Jekyll reads only data files whose extension is written in lower case (.yaml, .yml, .json, .csv, .tsv), its file search being case-sensitive on Linux, so site.data.People does not hold it',
      },
      expect.objectContaining({ code: 'data-extension-case', file: '_data/team/core.Json' }),
    ]);
  });

  it('keeps a name with no character a key keeps under the key "", as Jekyll does, with a data-key-empty warning', async () => {
    const dir = await siteWith({ '_config.yml': 'title: Site\n', '_data/日本.yml': '- Ada\n', '_data/team/  é.json': '[1]' });
    const site = await readJekyllSite(dir);
    expect(site!.data).toStrictEqual({ '': ['Ada'], team: { '': [1] } });
    expect(warningsOf(site)).toEqual([
      {
        code: 'data-key-empty',
        file: '_data/日本.yml',
        message:
          '_data/日本.yml has the empty key: a key keeps only the ASCII letters, digits, "_" and "-" of a name, and this one has none. Jekyll keeps it under "", as this service does: a template can read it only as site.data[""], and GET /v1/data cannot serve it, having no name to ask for',
      },
      {
        code: 'data-key-empty',
        file: '_data/team/  é.json',
        message:
          '_data/team/  é.json has the empty key: a key keeps only the ASCII letters, digits, "_" and "-" of a name, and this one has none. Jekyll keeps it under "", as this service does: a template can read it only as site.data.team[""], and GET /v1/data/team holds it as the key ""',
      },
    ]);
  });
});

describe('readJekyllSite on hostile site files', () => {
  const problemsOf = async (file: string) =>
    (await readJekyllSite(hostile))!.diagnostics
      .filter((d) => d.file === file)
      .map(({ code, line, column, field }) => ({ code, line, column, field }));

  it('leaves out a data file whose aliases cannot be expanded, with a yaml-aliases error at the alias, never serving it as null', async () => {
    const site = await readJekyllSite(hostile);
    expect(Object.keys(site!.data)).not.toContain('unresolved');
    expect(Object.keys(site!.data)).not.toContain('laughs');
    expect(await problemsOf('_data/unresolved.yml')).toEqual([{ code: 'yaml-aliases', line: 2, column: 9, field: null }]);
    expect(site!.diagnostics.find((d) => d.file === '_data/unresolved.yml')).toMatchObject({
      severity: 'error',
      message: '_data/unresolved.yml could not be read: Unresolved alias (the anchor must be set before the alias): nobody',
    });
    // The "billion laughs": too many expansions in all, reported at the first alias.
    expect(await problemsOf('_data/laughs.yml')).toEqual([{ code: 'yaml-aliases', line: 2, column: 8, field: null }]);
    expect(await problemsOf('_data/navigation.yml')).toEqual([{ code: 'yaml-aliases', line: 3, column: 10, field: null }]);
  });

  it('reports an unresolved alias in _config.yml, and reads the site without its settings', async () => {
    const site = await readJekyllSite(await siteWith({ '_config.yml': 'title: Site\nlogo: *logo\n', '_data/people.yml': '- Ada\n' }));
    expect(site!.config).toEqual({});
    expect(site!.data).toEqual({ people: ['Ada'] });
    expect(site!.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-aliases', file: '_config.yml', line: 2, column: 7 })]);
  });

  it('reads tags JSON has no value for (!!binary, !!timestamp, !!set, !!omap) as the text, list or map written, each with a warning', async () => {
    const site = await readJekyllSite(hostile);
    expect(site!.data.tags).toStrictEqual({
      logo: 'aGVsbG8=',
      launched: '2024-01-02',
      team: { Ada: null, Grace: null },
      order: [{ first: 'Ada' }, { second: 'Grace' }],
    });
    expect(await problemsOf('_data/tags.yml')).toEqual([
      { code: 'yaml-warning', line: 1, column: 7, field: null },
      { code: 'yaml-warning', line: 2, column: 11, field: null },
      { code: 'yaml-warning', line: 3, column: 7, field: null },
      { code: 'yaml-warning', line: 4, column: 8, field: null },
    ]);
  });

  it('reads scalars as Jekyll (Psych, YAML 1.1) does: yes/no/on/off in any case are booleans, y and n text; merge keys, octal and 1_000 numbers', async () => {
    const dir = await siteWith({
      '_config.yml': 'title: Flags\nfuture: yes\n',
      '_data/flags.yml':
        'banner: no\nsearch: On\nloud: YES\nshort: y\nmode: 0755\ncount: 1_000\nat: 10:30\nbase: &base {size: 1}\nlarge:\n  <<: *base\n  color: red\n',
    });
    const site = await readJekyllSite(dir);
    expect(site!.config.future).toBe(true);
    expect(site!.data.flags).toStrictEqual({
      banner: false,
      search: true,
      loud: true,
      short: 'y',
      mode: 493,
      count: 1000,
      // Psych reads 10:30 as 630 (base 60): kept as written, as front matter keeps it.
      at: '10:30',
      base: { size: 1 },
      large: { size: 1, color: 'red' },
    });
    expect(site!.diagnostics).toEqual([]);
  });

  it('drops __proto__, constructor and prototype keys of data files (JSON too) with a warning naming their path, and never reads a data file so named', async () => {
    const site = await readJekyllSite(hostile);
    expect(site!.data.people).toStrictEqual({ people: [{ name: 'Ada' }] });
    expect(Object.keys(site!.data).sort()).toEqual(['authors', 'people', 'tags']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await problemsOf('_data/people.json')).toEqual([
      { code: 'unsafe-key', line: 2, column: 3, field: '__proto__' },
      { code: 'unsafe-key', line: 3, column: 31, field: 'people[0].constructor' },
    ]);
    expect(await problemsOf('_data/__proto__.yml')).toEqual([{ code: 'unsafe-key', line: 1, column: 1, field: null }]);
  });

  it('reports _config.yml settings of the wrong type at their line and ignores them, so their defaults apply', async () => {
    const site = await readJekyllSite(hostile);
    expect(site!.config).toEqual({ description: 'Site files written to trip the reader', url: 'https://example.org', exclude: ['vendor'] });
    expect(await problemsOf('_config.yml')).toEqual([
      { code: 'invalid-config', line: 2, column: 1, field: 'title' },
      { code: 'invalid-config', line: 6, column: 1, field: 'baseurl' },
      { code: 'invalid-config', line: 8, column: 19, field: 'exclude[1]' },
    ]);
    expect(site!.diagnostics.find((d) => d.field === 'baseurl')).toMatchObject({
      severity: 'error',
      message: 'baseurl must be a string (got number 5); the setting is ignored, as if it were not set',
      hint: 'Quote it: baseurl: "5"',
    });
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
