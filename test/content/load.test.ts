import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { contentLimits } from '../../src/content/limits.ts';
import { bundledContent, fixture } from '../helpers/app.ts';

const at = (d: { file: string; line: number; column: number; field: string | null; code: string }) =>
  `${d.file}:${d.line}:${d.column} ${d.field ?? '-'} ${d.code}`;

describe('loadContent', () => {
  it('loads the bundled site with no errors and no broken links', async () => {
    const snapshot = await loadContent(bundledContent);
    expect(snapshot.diagnostics).toEqual([]);
    expect(snapshot.published.pages.map((p) => p.summary.slug)).toEqual([
      'contributors',
      'index',
      'peer-review',
      'python-packages',
      'resources',
      'welcome-new-editors',
    ]);
  });

  it('reports every bad file at the offending key, and keeps every good page', async () => {
    const snapshot = await loadContent(fixture('bad-content'));
    expect(snapshot.diagnostics.map(at)).toEqual([
      'bad-action.md:9:7 header.actions[1].url invalid-type',
      'bad-title.md:3:1 title invalid-type',
      'broken-yaml.md:4:1 - yaml-syntax',
      'dup-two.md:3:1 permalink duplicate-permalink',
      'good.md:8:13 - broken-link',
      'typo.md:4:1 permalnk unknown-key',
    ]);
    const title = snapshot.diagnostics.find((d) => d.file === 'bad-title.md')!;
    expect(title).toMatchObject({ severity: 'error', message: 'title must be a string (got number 123)', hint: 'Quote it: title: "123"' });
    expect(snapshot.diagnostics.find((d) => d.code === 'duplicate-permalink')!.message).toContain('dup-one.md');
    expect(snapshot.diagnostics.find((d) => d.code === 'unknown-key')!.message).toContain('did you mean permalink?');
    expect(snapshot.published.pages.map((p) => p.summary.slug)).toEqual(['dup-one', 'good', 'typo']);
  });

  it('keeps unknown front-matter keys and serves them', async () => {
    const snapshot = await loadContent(fixture('bad-content'));
    expect(snapshot.published.bySlug.get('typo')!.page.front_matter).toMatchObject({ custom_key: 'kept', permalnk: '/typo-2/' });
  });

  it('keeps drafts out of the published view entirely', async () => {
    const snapshot = await loadContent(fixture('bad-content'));
    const published = JSON.stringify({ ...snapshot.published, bySlug: [...snapshot.published.bySlug.keys()] });
    expect(published).not.toContain('SECRET-DRAFT-MARKER');
    expect(snapshot.published.faq.map((e) => e.page)).not.toContain('secret-draft');
    expect(snapshot.preview.bySlug.get('secret-draft')?.page.faq[0].question).toContain('SECRET-DRAFT-MARKER');
  });

  it('changes the version when content changes, and only then', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-'));
    try {
      await cp(bundledContent, dir, { recursive: true });
      const first = await loadContent(dir);
      expect((await loadContent(dir)).version).toBe(first.version);
      await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Changed"\npermalink: /resources/\n---\n\nNew.\n');
      expect((await loadContent(dir)).version).not.toBe(first.version);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('lists a folder of 1,000 files or more at once: serves the pages the site rules take besides (an included dot-folder), none they leave out', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'content-'));
    try {
      // Enough pages that the load takes their lstats at once on a worker as it begins (see listFolder).
      await mkdir(path.join(dir, 'pages'));
      for (let i = 0; i < 1000; i++) await writeFile(path.join(dir, 'pages', `p${i}.md`), `---\ntitle: P${i}\n---\n\nText ${i}.\n`);
      await writeFile(path.join(dir, '_config.yml'), 'include: [.well-known]\n');
      await mkdir(path.join(dir, '.well-known'));
      await writeFile(path.join(dir, '.well-known', 'about.md'), '---\ntitle: About\npermalink: /well-known-about/\n---\n\nIncluded.\n');
      await mkdir(path.join(dir, '.hidden'));
      await writeFile(path.join(dir, '.hidden', 'secret.md'), '---\ntitle: Secret\n---\n\nNot a page.\n');
      await mkdir(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
      await writeFile(path.join(dir, 'node_modules', 'pkg', 'README.md'), '---\ntitle: Readme\n---\n\nNot a page.\n');
      const snapshot = await loadContent(dir);
      const permalinks = snapshot.published.pages.map((record) => record.summary.permalink);
      expect(permalinks).toHaveLength(1001);
      expect(permalinks).toContain('/well-known-about/');
      expect(snapshot.published.pages.map((record) => record.file).filter((file) => !file.startsWith('pages/'))).toEqual(['.well-known/about.md']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('loadContent on hostile files', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('rejects YAML bombs, deep nesting and executable tags without crashing, and serves the good page', async () => {
    const snapshot = await loadContent(fixture('hostile'));
    const byFile = Object.fromEntries(snapshot.diagnostics.map((d) => [d.file, d.code]));
    expect(byFile).toMatchObject({ 'yaml-bomb.md': 'yaml-aliases', 'deep-yaml.md': 'front-matter-too-deep', 'js-tag.md': 'yaml-warning' });
    expect((globalThis as { PWNED?: boolean }).PWNED).toBeUndefined();
    expect(snapshot.published.bySlug.get('js-tag')!.page.front_matter.payload).toBe('function () { globalThis.PWNED = true; return 1 }');
    expect(snapshot.published.bySlug.has('safe')).toBe(true);
  });

  it('caps file size and reports the cap like any other content error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'huge-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'huge.md'), `---\ntitle: "Huge"\n---\n\n${'word '.repeat(contentLimits.maxFileBytes / 4)}`);
    await writeFile(path.join(dir, 'small.md'), '---\ntitle: "Small"\n---\n\nFine.\n');
    const snapshot = await loadContent(dir);
    expect(snapshot.diagnostics.map((d) => `${d.file} ${d.code} ${d.severity}`)).toEqual(['huge.md file-too-large error']);
    expect(snapshot.published.pages.map((p) => p.summary.slug)).toEqual(['small']);
  });

  it('refuses a permalink that is not a path on the site, at its line, and serves the other pages', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'permalinks-'));
    dirs.push(dir);
    const permalinks = ['/../../etc/', 'https://evil.example/', '//evil.example/x/', '/a b/', '/a?b=1', '/sub/%00/', '/%2e%2e/x/', '/x/./y/'];
    for (const [index, permalink] of permalinks.entries())
      await writeFile(path.join(dir, `bad-${index}.md`), `---\ntitle: "Bad ${index}"\npermalink: ${JSON.stringify(permalink)}\n---\n\nBody.\n`);
    await writeFile(path.join(dir, 'ok.md'), '---\ntitle: "Ok"\npermalink: /:basename/café.html\n---\n\nFine.\n');
    const snapshot = await loadContent(dir);
    expect(snapshot.diagnostics.map(at)).toEqual(permalinks.map((_, index) => `bad-${index}.md:3:1 permalink invalid-value`));
    expect(snapshot.diagnostics[0].message).toMatch(/^permalink must be a path on the site/);
    expect(snapshot.published.pages.map((p) => p.summary.permalink)).toEqual(['/:basename/café.html']);
  });

  it('reports a page, config or data file that is not UTF-8 at its first bad byte, naming it; leaves the page out, keeps the settings', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'utf8-'));
    dirs.push(dir);
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    await mkdir(path.join(dir, '_data'));
    await writeFile(path.join(dir, '_config.yml'), latin1('title: Site\ndescription: "Caf\u00e9 culture"\n'));
    await writeFile(path.join(dir, '_data/authors.yml'), latin1('lwasser:\n  name: "L\u00e9ah"\n'));
    await writeFile(path.join(dir, '_data/team.yml'), 'lead: Léah\n');
    await writeFile(path.join(dir, 'latin1.md'), latin1('---\ntitle: "Latin-1"\n---\n\nA na\u00efve caf\u00e9.\n'));
    await writeFile(path.join(dir, 'binary.md'), '---\ntitle: "Binary"\n---\nab\u0000cd\n');
    await writeFile(path.join(dir, 'replacement.md'), '---\ntitle: "Replacement \uFFFD"\n---\n\nA \uFFFD written on purpose.\n');
    const snapshot = await loadContent(dir);
    expect(snapshot.diagnostics.map(at)).toEqual([
      '_config.yml:2:18 - not-utf8-text',
      '_data/authors.yml:2:11 - not-utf8-text',
      'binary.md:4:3 - not-utf8-text',
      'latin1.md:5:5 - not-utf8-text',
    ]);
    expect(snapshot.diagnostics.find((d) => d.file === 'latin1.md')!.message).toContain('byte 0xef at line 5, column 5');
    expect(snapshot.published.pages.map((p) => p.summary.title)).toEqual(['Replacement \uFFFD']);
    // The settings of a config with a bad byte still apply (every page's URL depends on them), as
    // do a data file's entries: the error says where the U+FFFD in them comes from.
    expect(snapshot.site?.title).toBe('Site');
    expect(snapshot.data).toEqual({ authors: { lwasser: { name: 'L\uFFFDah' } }, team: { lead: 'Léah' } });
  });

  it('survives a markdown nesting bomb in the body', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'nest-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'nest.md'), `---\ntitle: "Nest"\n---\n\n${'> '.repeat(20000)}deep\n`);
    await writeFile(path.join(dir, 'ok.md'), '---\ntitle: "Ok"\n---\n\nFine.\n');
    const snapshot = await loadContent(dir);
    expect(snapshot.published.bySlug.has('ok')).toBe(true);
  });
});
