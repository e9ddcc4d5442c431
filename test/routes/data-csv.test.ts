import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from '../helpers/app.ts';

/** A small Jekyll site whose data are CSV and TSV files, read on the site-reading worker as served. */
const files: Record<string, string> = {
  '_config.yml': 'title: CSV site\ntsv_reader:\n  headers: false\n',
  // Jekyll reads .csv after .yml: the rows are site.data.people, not the YAML list.
  '_data/people.yml': '- name: From YAML\n  role: nobody\n',
  '_data/people.csv': 'name,role,joined\r\nAda,"lead, core",2019\r\nGrace,,""\r\n',
  '_data/team/roles.tsv': 'role\tname\nlead\tAda\n',
  '_data/broken.csv': 'name,note\nAda,"never closed\n',
  'index.md': [
    '---',
    'title: Home',
    '---',
    '',
    '{% for person in site.data.people %}{{ person.name }} ({{ person.role | default: "none" }}) joined {{ person.joined | default: "?" }}; {% endfor %}',
    '',
    'Roles header: {{ site.data.team.roles[0] | join: "/" }}, first: {{ site.data.team.roles[1][1] }}',
    '',
  ].join('\n'),
};

let app: FastifyInstance;
let site: string;

beforeAll(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'data-csv-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(site, file)), { recursive: true });
    await writeFile(path.join(site, file), text);
  }
  app = await appFor(site);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await rm(site, { recursive: true, force: true });
});

describe('CSV and TSV data files', () => {
  it('serves the rows of x.csv at GET /v1/data/x, over x.yml, as Jekyll does', async () => {
    const response = await app.inject('/v1/data/people');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual([
      { name: 'Ada', role: 'lead, core', joined: '2019' },
      { name: 'Grace', role: null, joined: '' },
    ]);
  });

  it('serves a TSV read with tsv_reader: { headers: false } as lists of text, the header line first', async () => {
    const response = await app.inject('/v1/data/team');
    expect(response.json()).toStrictEqual({
      roles: [
        ['role', 'name'],
        ['lead', 'Ada'],
      ],
    });
  });

  it('gives Liquid the same rows in site.data', async () => {
    const { html } = (await app.inject('/v1/pages/index')).json();
    expect(html).toContain('Ada (lead, core) joined 2019; Grace (none) joined ?;');
    expect(html).toContain('Roles header: role/name, first: Ada');
    expect(html).not.toContain('From YAML');
  });

  it('leaves a malformed CSV out, reports it at its line and column, and says which file was not used', async () => {
    expect((await app.inject('/v1/data/broken')).statusCode).toBe(404);
    const { diagnostics } = (await app.inject('/v1/diagnostics')).json<{
      diagnostics: { code: string; file: string; line: number; column: number }[];
    }>();
    expect(
      diagnostics.filter(({ file }) => file.startsWith('_data/')).map(({ code, file, line, column }) => ({ code, file, line, column })),
    ).toEqual([
      { code: 'csv-syntax', file: '_data/broken.csv', line: 2, column: 5 },
      { code: 'duplicate-data-key', file: '_data/people.yml', line: 1, column: 1 },
    ]);
  });
});
