import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentKey, withBody, readSourceSync, type PageEntry, type PageInFile } from '../../src/content/entry.ts';
import { createContentLoader } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { writeHomeCopies } from '../helpers/home-copies.ts';

/**
 * A load keeps the bodies it read for its renders only up to a budget: past it, the render
 * worker reads each page's file again, and renders it only if the file still holds the text the
 * page was read from.
 */
describe('bodies past the budget a load keeps are read again from their files', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function siteOf(count: number): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'kept-bodies-'));
    dirs.push(dir);
    await writeHomeCopies(dir, count, (i) => `\n\nThe end of page ${i}.\n`);
    return dir;
  }

  const servedBytes = (snapshot: Snapshot) =>
    snapshot.published.pages.map((page) => [page.file, page.json.etag, page.html.etag, page.json.body.toString()] as const);

  it('serves the same bytes and ETags whether a load kept every body or read them again', async () => {
    const dir = await siteOf(24);
    const keeping = createContentLoader(dir);
    const reading = createContentLoader(dir, { keptBodiesLength: 0 });
    try {
      const kept = await keeping.load();
      const read = await reading.load();
      expect(read.published.pages).toHaveLength(24);
      expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(servedBytes(read)).toEqual(servedBytes(kept));
      expect(read.published.bySlug.get('page-7')!.page.html).toContain('The end of page 7.');
    } finally {
      await Promise.all([keeping.close(), reading.close()]);
    }
  }, 60_000);

  it('never serves the front matter of one version of a file with the body of another: a file changed before its render waits for the next load', async () => {
    const dir = await siteOf(200);
    // Files are rendered in their sorted order on one thread: page-99.md comes last.
    const last = path.join(dir, 'page-99.md');
    const edited = '---\ntitle: Edited\npermalink: /page-99/\n---\n\nA new body.\n';
    const loader = createContentLoader(dir, { keptBodiesLength: 0, renderThreads: 1, onListed: () => writeFileSync(last, edited) });
    try {
      const loaded = await loader.load();
      expect(loaded.published.bySlug.has('page-99')).toBe(false);
      expect(loaded.published.pages).toHaveLength(199);
      expect(loaded.diagnostics.find((d) => d.file === 'page-99.md')).toMatchObject({ code: 'page-text-unavailable', severity: 'error' });
      // The load the change starts (here, one that reads every file) serves the new version whole.
      const next = await loader.load();
      const page = next.published.bySlug.get('page-99')!;
      expect(page.summary.title).toBe('Edited');
      expect(page.page.html).toContain('A new body.');
      expect(next.diagnostics.filter((d) => d.file === 'page-99.md')).toEqual([]);
    } finally {
      await loader.close();
    }
  }, 60_000);

  it('reads a body again only from the file it was read from, holding the text it was read from', async () => {
    const dir = await siteOf(1);
    const text = await readFile(path.join(dir, 'page-0.md'), 'utf8');
    const outside = await mkdtemp(path.join(tmpdir(), 'kept-bodies-outside-'));
    dirs.push(outside);
    await writeFile(path.join(outside, 'copy.md'), text);
    await symlink(path.join(outside, 'copy.md'), path.join(dir, 'link-out.md'));
    const inFile = (file: string): PageInFile => ({
      entry: { file, bodyLine: 1 } as PageEntry,
      inFile: { key: contentKey('rules', 'page-0.md', text), rulesKey: 'rules', bytes: text.length },
    });
    const read = (file: string) => readSourceSync(dir, file);
    expect(withBody(inFile('page-0.md'), read)?.body).toContain('The end of page 0.');
    // The same text through a link out of the folder is never read.
    expect(withBody(inFile('link-out.md'), read)).toBeUndefined();
    await writeFile(path.join(dir, 'page-0.md'), `${text}\nOne more line.\n`);
    expect(withBody(inFile('page-0.md'), read)).toBeUndefined();
    await rm(path.join(dir, 'page-0.md'));
    expect(withBody(inFile('page-0.md'), read)).toBeUndefined();
  });
});
