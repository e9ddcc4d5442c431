import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverContent } from '../../src/content/discover.ts';
import { readEntry, type SourceText } from '../../src/content/entry.ts';
import { createContentLoader } from '../../src/content/load.ts';
import { createRenderPool } from '../../src/content/render-pool.ts';
import { readSiteSources, siteRulesFrom } from '../../src/content/site-rules-loader.ts';
import { fixture, pyopensciCorpus } from '../helpers/app.ts';

/** The content files of a folder as the loader reads them, with its rules and their sources. */
async function folder(root: string) {
  const site = await readSiteSources(root);
  const rules = siteRulesFrom(site);
  const files = await discoverContent(root, rules.isContentFile);
  const sources: SourceText[] = await Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(root, file), 'utf8'), modified: 1_700_000_000_000 })));
  return { site, rules, sources };
}

/** A front matter within every cap (64 KB, 24 levels) that still takes a worker well over 100 ms to read. */
const slowFrontMatter = Array.from({ length: 1400 }, (_, i) => `k${i}: {a: [1, 2], b: {c: d}}`).join('\n');

describe('reading front matter on the render workers (src/content/load/parse.ts)', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  /** A folder of 100 good pages (more files than one batch: they go to the workers) and `others`. */
  async function folderOfPages(others: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'parse-'));
    dirs.push(dir);
    for (let i = 0; i < 100; i++) await writeFile(path.join(dir, `page-${i}.md`), `---\ntitle: Page ${i}\ntags: [a, b]\n---\n\nBody ${i}.\n`);
    for (const [name, text] of Object.entries(others)) await writeFile(path.join(dir, name), text);
    return dir;
  }

  it('gives the same entries and problems on a worker as on the main thread, for a real Jekyll site and for broken files', async () => {
    for (const root of [pyopensciCorpus, fixture('bad-content'), fixture('hostile')]) {
      const { site, rules, sources } = await folder(root);
      const pool = createRenderPool({ root, timeoutMs: 10_000, contention: () => 1 });
      try {
        const outcomes = await pool.parse({ site, siteKey: root, rulesKey: 'rules' }, sources);
        // Structured clone keeps every field, Date and undefined included, and adds no prototype.
        expect(outcomes).toStrictEqual(sources.map(({ file, text, modified }) => ({ ok: true, read: readEntry(rules, file, text, modified, 'rules') })));
      } finally {
        await pool.close();
      }
    }
  }, 60_000);

  it('gives a file whose front matter overruns the deadline twice front-matter-timeout, and reads the files around it', async () => {
    const { site, rules, sources } = await folder(fixture('bad-content'));
    const slow: SourceText = { file: 'slow.md', text: `---\n${slowFrontMatter}\n---\n\nBody.\n`, modified: 0 };
    const batch = [sources[0], slow, ...sources.slice(1)];
    // Deadlines as on an idle machine: a busy one would stretch them, and the file might finish.
    const pool = createRenderPool({ root: fixture('bad-content'), timeoutMs: 40, contention: () => 1, threads: 1 });
    try {
      const outcomes = await pool.parse({ site, siteKey: 'bad-content', rulesKey: 'rules' }, batch);
      expect(outcomes[1]).toMatchObject({ ok: false, problem: { code: 'front-matter-timeout', severity: 'error', line: 1 } });
      const others = batch.filter((_, at) => at !== 1);
      expect(outcomes.filter((_, at) => at !== 1)).toEqual(others.map(({ file, text, modified }) => ({ ok: true, read: readEntry(rules, file, text, modified, 'rules') })));
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('reads a file whose front matter a worker could not get through again on the next load (a busy machine may have been the cause)', async () => {
    const dir = await folderOfPages({ 'slow.md': `---\n${slowFrontMatter}\n---\n\nBody.\n` });
    const loader = createContentLoader(dir, { renderTimeoutMs: 40, renderContention: () => 1 });
    try {
      const first = await loader.load();
      expect(first.read).toBe(101);
      expect(first.diagnostics.find((d) => d.file === 'slow.md')).toMatchObject({ code: 'front-matter-timeout' });
      // Nothing changed on disk: only the file whose parse was cut short is read again.
      const second = await loader.load();
      expect(second.read).toBe(1);
    } finally {
      await loader.close();
    }
  }, 60_000);

  it('parses a whole folder on the workers with the problems the main thread finds, and serves every good page', async () => {
    const broken = '---\ntitle: 123\npublished: [\n---\n\nBroken.\n';
    const dir = await folderOfPages({ 'broken.md': broken });
    const loader = createContentLoader(dir);
    try {
      const snapshot = await loader.load();
      expect(snapshot.read).toBe(101);
      expect(snapshot.published.pages).toHaveLength(100);
      const expected = readEntry(siteRulesFrom(await readSiteSources(dir)), 'broken.md', broken, 0, '').problems;
      expect(expected.length).toBeGreaterThan(0);
      expect(snapshot.diagnostics.filter((d) => d.file === 'broken.md')).toEqual(expected.map((problem) => ({ file: 'broken.md', ...problem })));

      // A live edit of one file is parsed on the main thread, with the same result.
      await writeFile(path.join(dir, 'page-7.md'), '---\ntitle: Page seven\n---\n\nEdited.\n');
      const edited = await loader.load(['page-7.md']);
      expect(edited.published.bySlug.get('page-7')!.summary.title).toBe('Page seven');
      expect(edited.published.pages).toHaveLength(100);
    } finally {
      await loader.close();
    }
  }, 60_000);

  it("parses a live edit's large front matter on a worker, under its deadline, never on the main thread", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parse-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'small.md'), '---\ntitle: Small\n---\n\nSmall.\n');
    const loader = createContentLoader(dir, { renderTimeoutMs: 40, renderContention: () => 1 });
    try {
      await loader.load();
      // One file (a live edit): a small front matter is read on the main thread, a large one on a
      // worker, whose deadline it overruns (on the main thread it would hold every request meanwhile).
      await writeFile(path.join(dir, 'slow.md'), `---\n${slowFrontMatter}\n---\n\nBody.\n`);
      await writeFile(path.join(dir, 'small.md'), '---\ntitle: Small, edited\n---\n\nSmall.\n');
      const edited = await loader.load(['slow.md', 'small.md']);
      expect(edited.diagnostics.filter((d) => d.file === 'slow.md').map((d) => d.code)).toEqual(['front-matter-timeout']);
      expect(edited.published.bySlug.get('small')?.summary.title).toBe('Small, edited');
    } finally {
      await loader.close();
    }
  }, 60_000);
});
