import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IDENTIFIER_LENGTH } from '../../schemas/identifier.ts';
import { appFor } from '../helpers/app.ts';

describe('GET /v1/data/{name}: every data file listed can be fetched', () => {
  let dir: string;
  let app: FastifyInstance;
  const atLimit = 'd'.repeat(MAX_IDENTIFIER_LENGTH);
  const tooLong = 'e'.repeat(MAX_IDENTIFIER_LENGTH + 1);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'data-names-'));
    const files: Record<string, string> = {
      '_config.yml': 'title: Site\n',
      'index.md': '---\ntitle: Home\n---\n\nHome.\n',
      '_data/authors.yml': 'ada: Ada Lovelace\n',
      [`_data/${atLimit}.yml`]: 'at: limit\n',
      // Kept ASCII letters are 201: the dots go, as Jekyll sanitizes the name.
      [`_data/${tooLong.slice(0, 100)}.${tooLong.slice(100)}.yml`]: 'too: long\n',
      [`_data/${tooLong}/inner.json`]: '{"too": "long"}',
      '_data/€€.yml': 'empty: key\n',
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    app = await appFor(dir);
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The names the 404 of an unknown name lists: the API's list of data files. */
  async function listedNames(): Promise<string[]> {
    const detail: string = (await app.inject('/v1/data/no-such-data')).json().detail;
    return /\(it has: (.*)\)\.$/.exec(detail)![1].split(', ');
  }

  it('answers 200 for every name it lists, up to 200 characters, and lists none it could not answer', async () => {
    const names = await listedNames();
    expect(names.sort()).toEqual(['authors', atLimit].sort());
    for (const name of names) expect((await app.inject(`/v1/data/${encodeURIComponent(name)}`)).statusCode, name).toBe(200);
    expect((await app.inject(`/v1/data/${atLimit}`)).json()).toEqual({ at: 'limit' });
  });

  it('reports each top-level entry it cannot serve: data-name-not-routable for a key too long, data-key-empty for an empty one', async () => {
    const { diagnostics } = (await app.inject('/v1/diagnostics')).json();
    const warnings = diagnostics.filter((diagnostic: { code: string }) =>
      ['data-name-not-routable', 'data-key-empty'].includes(diagnostic.code),
    );
    expect(
      warnings
        .map(({ code, severity, file, line, column, field }: Record<string, unknown>) => ({ code, severity, file, line, column, field }))
        .sort((a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : 1)),
    ).toEqual(
      [
        ['data-name-not-routable', `_data/${tooLong.slice(0, 100)}.${tooLong.slice(100)}.yml`],
        ['data-name-not-routable', `_data/${tooLong}`],
        ['data-key-empty', '_data/€€.yml'],
      ]
        .sort((a, b) => (a[1] < b[1] ? -1 : 1))
        .map(([code, file]) => ({ code, severity: 'warning', file, line: 1, column: 1, field: null })),
    );
  });
});
