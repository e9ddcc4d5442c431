import { describe, expect, it } from 'vitest';
import { dataFolderEntries, jekyllDataKey } from '../../src/jekyll/data-entries.ts';

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
    expect(entries.at(-1)).toMatchObject({ entries: [{ kind: 'file', path: '_data/a/x.YML', key: 'x', extension: '.yml' }] });
  });
});
