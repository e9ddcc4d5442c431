import { describe, expect, it } from 'vitest';
import { dataFolderEntries, duplicateDataKeyProblem, jekyllDataKey, miscasedDataFileProblems } from '../../src/jekyll/data-entries.ts';

describe('jekyllDataKey', () => {
  // Each expected key is what Jekyll 4's sanitize_filename gives under Ruby 3.1.
  it.each([
    ['a.b', 'ab'],
    ['my file', 'my_file'],
    ['ui-text', 'ui-text'],
    ['a - b', 'a_-_b'],
    ['  a', 'a'],
    ['a  ', 'a_'],
    ['a\tb', 'a_b'],
    ['café', 'caf'],
    ['日本 語', '_'],
    ['  -x', '_-x'],
    // Ruby's \b takes é for a word character, although its \w does not.
    ['  é', ''],
    ['proto.type', 'prototype'],
  ])('keys %j as %j, as Jekyll does', (name, key) => {
    expect(jekyllDataKey(name)).toBe(key);
  });
});

describe('dataFolderEntries', () => {
  it("lists a folder's .yaml, .yml, .json, .csv and .tsv files (each kind in byte order of names), then its sub-folders, as Jekyll reads them", () => {
    const entries = dataFolderEntries('_data', [
      '_data/B.json',
      '_data/a.json',
      '_data/a.yml',
      '_data/a.yaml',
      '_data/a.tsv',
      '_data/a.csv',
      '_data/a/x.YML',
      '_data/notes.txt',
      '_data/\u{e000}.yml',
      '_data/\u{1f600}.yml',
    ]);
    expect(entries.map(({ kind, path, key }) => `${kind} ${path} ${key}`)).toEqual([
      'file _data/a.yaml a',
      'file _data/a.yml a',
      // By bytes (EE… before F0…), as Ruby sorts; UTF-16 would put the emoji (D83D…) first.
      'file _data/\u{e000}.yml ',
      'file _data/\u{1f600}.yml ',
      'file _data/B.json B',
      'file _data/a.json a',
      'file _data/a.csv a',
      'file _data/a.tsv a',
      'folder _data/a a',
    ]);
    // Jekyll's glob is case-sensitive on Linux: x.YML is no data file, though its folder is an entry.
    expect(entries.at(-1)).toMatchObject({ kind: 'folder', entries: [] });
  });

  it("lists only files whose extension is in lower case, as Jekyll's case-sensitive glob does", () => {
    const entries = dataFolderEntries('_data', ['_data/X.YML', '_data/x.Json', '_data/y.Yaml', '_data/z.CSV', '_data/x.json']);
    expect(entries.map(({ path }) => path)).toEqual(['_data/x.json']);
  });

  it('lists every sub-folder, an empty one or one holding only empty folders included, as Jekyll reads each into {}', () => {
    const entries = dataFolderEntries('_data', ['_data/people.yml'], ['_data/empty', '_data/outer', '_data/outer/inner']);
    expect(entries.map(({ kind, path, key }) => `${kind} ${path} ${key}`)).toEqual([
      'file _data/people.yml people',
      'folder _data/empty empty',
      'folder _data/outer outer',
    ]);
    expect(entries.at(-1)).toMatchObject({ entries: [{ kind: 'folder', path: '_data/outer/inner', key: 'inner', entries: [] }] });
  });
});

describe('miscasedDataFileProblems', () => {
  it("warns at each file whose extension is a data file's in another case, naming the key Jekyll would have given it", () => {
    const problems = miscasedDataFileProblems('_data', ['_data/X.YML', '_data/team/core.Json', '_data/notes.TXT', '_data/people.yml']);
    expect(problems).toEqual([
      {
        code: 'data-extension-case',
        severity: 'warning',
        file: '_data/X.YML',
        line: 1,
        column: 1,
        field: null,
        message:
          '_data/X.YML is not read, by Jekyll nor here: Jekyll reads only data files whose extension is written in lower case (.yaml, .yml, .json, .csv, .tsv), its file search being case-sensitive on Linux, so site.data.X does not hold it',
        hint: 'Rename it to X.yml if it is meant to be data; otherwise move it out of _data/.',
      },
      expect.objectContaining({
        file: '_data/team/core.Json',
        hint: 'Rename it to core.json if it is meant to be data; otherwise move it out of _data/.',
      }),
    ]);
    expect(problems[1].message).toContain('so site.data.team.core does not hold it');
  });
});

describe('duplicateDataKeyProblem', () => {
  it('names the empty key as a template reads it, site.data[""], not as site.data.', () => {
    const [unused, used] = dataFolderEntries('_data', ['_data/日本.yml', '_data/한국.yml']);
    expect(duplicateDataKeyProblem(unused, used, ['team']).message).toBe(
      '_data/日本.yml is not used: _data/한국.yml gives the same key, site.data.team[""], and Jekyll keeps that one (the last in name order wins)',
    );
  });
});
