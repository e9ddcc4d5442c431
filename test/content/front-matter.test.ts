import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';

const FILES: Record<string, string> = {
  'good.md': '---\ntitle: Good\n---\n\nA good page.\n',
  // The fence opens and never closes: its published: false must not be read as body text of a public page.
  'unclosed.md': '---\ntitle: Unclosed\npublished: false\n\nUNCLOSED-SECRET-7c1\n',
  'twice.md': '---\ntitle: Twice\npublished: false\nlayout: single\npublished: true\n---\n\nTWICE-SECRET-2b9\n',
  'twice-true.md': '---\ntitle: Twice true\npublished: true\npublished: true\n---\n\nBoth say so.\n',
  'repeated.md': '---\ntitle: First\nlayout: single\ntitle: Second\n---\n\nLast one wins.\n',
  'unsafe-keys.md': [
    '---',
    'title: Unsafe keys',
    'constructor: top',
    'header:',
    '  prototype: nested',
    '  caption: kept',
    'authors:',
    '  - name: Ada',
    '    __proto__:',
    '      polluted: true',
    '---',
    '',
    'Body.',
    '',
  ].join('\n'),
  // Psych's booleans (yes/no/on/off, any case), not the yaml package's y and n.
  'flags.md': '---\ntitle: Flags\nsidebar: No\ntoc: ON\ngrade: y\nanswer: n\n---\n\nBody.\n',
  // YAML 1.1 tags for values JSON cannot hold.
  'tags.md': '---\ntitle: Tags\nlogo: !!binary aGVsbG8=\nlaunched: !!timestamp 2024-01-02\nteam: !!set {ada, grace}\nsteps: !!omap [first: 1, second: 2]\n---\n\nBody.\n',
};

let dir: string;
let snapshot: Snapshot;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'front-matter-'));
  for (const [name, text] of Object.entries(FILES)) await writeFile(path.join(dir, name), text);
  snapshot = await loadContent(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const problemsOf = (file: string) => snapshot.diagnostics.filter((d) => d.file === file).map(({ code, severity, line, column, field }) => ({ code, severity, line, column, field }));

describe('front matter', () => {
  it('refuses a file whose front-matter fence never closes: an error at line 1, and nothing of it served', () => {
    expect(problemsOf('unclosed.md')).toEqual([{ code: 'front-matter-unclosed', severity: 'error', line: 1, column: 1, field: null }]);
    expect(snapshot.preview.bySlug.has('unclosed')).toBe(false);
    expect(JSON.stringify(snapshot.preview.pages.map((record) => record.page))).not.toContain('UNCLOSED-SECRET-7c1');
  });

  it('keeps a page whose published is set twice out of the public view unless every occurrence says so, with an error naming both lines', () => {
    expect(problemsOf('twice.md')).toEqual([{ code: 'duplicate-visibility-key', severity: 'error', line: 5, column: 1, field: 'published' }]);
    expect(snapshot.diagnostics.find((d) => d.file === 'twice.md')!.message).toContain('lines 3 and 5');
    expect(snapshot.published.bySlug.has('twice')).toBe(false);
    expect(JSON.stringify(snapshot.published.pages.map((record) => record.page))).not.toContain('TWICE-SECRET-2b9');
    // Treated as a draft: preview still sees it.
    expect(snapshot.preview.bySlug.get('twice')?.published).toBe(false);
    expect(snapshot.published.bySlug.has('twice-true')).toBe(true);
    expect(problemsOf('twice-true.md')).toEqual([{ code: 'duplicate-visibility-key', severity: 'error', line: 4, column: 1, field: 'published' }]);
  });

  it('keeps the last value of other repeated keys, with a warning', () => {
    expect(problemsOf('repeated.md')).toEqual([{ code: 'duplicate-key', severity: 'warning', line: 4, column: 1, field: 'title' }]);
    expect(snapshot.published.bySlug.get('repeated')!.summary.title).toBe('Second');
  });

  it('drops __proto__, constructor and prototype keys at any depth, each with a warning at its line', () => {
    expect(problemsOf('unsafe-keys.md')).toEqual([
      { code: 'unsafe-key', severity: 'warning', line: 3, column: 1, field: 'constructor' },
      { code: 'unsafe-key', severity: 'warning', line: 5, column: 3, field: 'prototype' },
      { code: 'unsafe-key', severity: 'warning', line: 9, column: 5, field: '__proto__' },
    ]);
    const record = snapshot.published.bySlug.get('unsafe-keys')!;
    expect(record.page.front_matter).toEqual({ title: 'Unsafe keys', header: { caption: 'kept' }, authors: [{ name: 'Ada' }] });
    expect(record.json.body.toString()).not.toMatch(/constructor|prototype|__proto__|polluted/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads yes, no, on and off (any case) as booleans and y and n as text, as Jekyll (Psych) does', () => {
    expect(problemsOf('flags.md')).toEqual([]);
    expect(snapshot.published.bySlug.get('flags')!.page.front_matter).toEqual({ title: 'Flags', sidebar: false, toc: true, grade: 'y', answer: 'n' });
  });

  it('reads !!binary, !!timestamp, !!set and !!omap values as the text, map or list written, each with a warning at its tag', () => {
    expect(problemsOf('tags.md')).toEqual([
      { code: 'yaml-warning', severity: 'warning', line: 3, column: 7, field: null },
      { code: 'yaml-warning', severity: 'warning', line: 4, column: 11, field: null },
      { code: 'yaml-warning', severity: 'warning', line: 5, column: 7, field: null },
      { code: 'yaml-warning', severity: 'warning', line: 6, column: 8, field: null },
    ]);
    expect(snapshot.published.bySlug.get('tags')!.page.front_matter).toEqual({
      title: 'Tags',
      logo: 'aGVsbG8=',
      launched: '2024-01-02',
      team: { ada: null, grace: null },
      steps: [{ first: 1 }, { second: 2 }],
    });
  });
});
