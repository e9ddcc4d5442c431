import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';

let work: string;
let dir: string;
let cacheDir: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bodies-'));
  dir = path.join(work, 'content');
  cacheDir = path.join(work, 'cache');
  await mkdir(dir);
});
afterEach(() => rm(work, { recursive: true, force: true }));

const page = (title: string, body: string) => `---\ntitle: "${title}"\npermalink: /${title.toLowerCase()}/\n---\n\n${body}\n`;
const brokenLinks = (snapshot: { diagnostics: readonly { file: string; code: string }[] }, file: string) =>
  snapshot.diagnostics.filter((diagnostic) => diagnostic.file === file && diagnostic.code === 'broken-link').length;

describe('page bodies (the markdown after the front matter)', () => {
  it('are not kept between loads: a page whose links change is rendered again from its file', async () => {
    await writeFile(path.join(dir, 'alpha.md'), page('Alpha', 'Alpha reads [beta](/beta/). MARKER-ALPHA-BODY'));
    const loader = createContentLoader(dir, { cacheDir });
    const first = await loader.load();
    expect(brokenLinks(first, 'alpha.md')).toBe(1);

    // The pack mirrors what the loader keeps between loads: entries, without their bodies.
    await loader.flush();
    const parsedPack = (await readdir(cacheDir)).find((name) => name.endsWith('-parsed.bin'))!;
    expect((await readFile(path.join(cacheDir, parsedPack))).includes('MARKER-ALPHA-BODY')).toBe(false);

    // Beta appears: alpha, unchanged and not read by this load, renders again with its link resolved.
    await writeFile(path.join(dir, 'beta.md'), page('Beta', 'Beta.'));
    const second = await loader.load(['beta.md']);
    expect(second.rendered).toBe(2);
    expect(brokenLinks(second, 'alpha.md')).toBe(0);
    expect(second.published.bySlug.get('alpha')!.page.html).toContain('MARKER-ALPHA-BODY');
    await loader.close();
  });

  it('are read again only as they were parsed: a file changed behind the loader keeps its last render until its change is loaded', async () => {
    const alpha = path.join(dir, 'alpha.md');
    await writeFile(alpha, page('Alpha', 'Old words, see [beta](/beta/).'));
    const loader = createContentLoader(dir);
    await loader.load();
    // Same size and time: only a watcher's event would tell the loader (and it has not come yet).
    const before = await stat(alpha);
    await writeFile(alpha, page('Alpha', 'New words, see [beta](/beta/).'));
    await utimes(alpha, before.atime, before.mtime);

    await writeFile(path.join(dir, 'beta.md'), page('Beta', 'Beta.'));
    const linked = await loader.load(['beta.md']);
    // Never the new body under the old front matter: the last render stays until the change is loaded.
    expect(linked.published.bySlug.get('alpha')!.page.html).toContain('Old words');

    // The change's own event (its time is its own in life; restored above to hide it).
    await utimes(alpha, new Date(), new Date());
    const edited = await loader.load(['alpha.md']);
    expect(edited.published.bySlug.get('alpha')!.page.html).toContain('New words');
    expect(brokenLinks(edited, 'alpha.md')).toBe(0);
    await loader.close();
  });

  describe('of a file that turns bad, on a site whose templates read the other pages', () => {
    const jekyllPage = (title: string, body: string) => `---\ntitle: "${title}"\npermalink: /${title.split(' ')[0].toLowerCase()}/\n---\n\n${body}\n`;
    const list = '{% for page in site.pages %}{{ page.title }}; {% endfor %}';
    const writeSite = async () => {
      await writeFile(path.join(dir, '_config.yml'), 'title: Test site\n');
      await writeFile(path.join(dir, 'alpha.md'), jekyllPage('Alpha', `Pages: ${list}`));
      await writeFile(path.join(dir, 'beta.md'), jekyllPage('Beta', 'Beta.'));
    };
    const codesOf = (snapshot: { diagnostics: readonly { file: string; code: string }[] }) =>
      snapshot.diagnostics.filter((diagnostic) => diagnostic.file === 'alpha.md').map((diagnostic) => diagnostic.code);

    it('keep serving its last good version when what its templates read changes', async () => {
      await writeSite();
      const loader = createContentLoader(dir);
      expect((await loader.load()).published.bySlug.get('alpha')!.page.html).toContain('Beta;');
      await writeFile(path.join(dir, 'alpha.md'), '---\ntitle: [unclosed\n---\n\nBroken.\n');
      await loader.load(['alpha.md']);
      // Beta's title is what alpha's list shows: alpha has to be rendered again, and its text is gone.
      await writeFile(path.join(dir, 'beta.md'), jekyllPage('Beta renamed', 'Beta.'));
      const renamed = await loader.load(['beta.md']);
      expect(renamed.published.bySlug.get('alpha')!.page.html).toContain('Pages:');
      expect(codesOf(renamed)).toContain('serving-last-good');
      expect(codesOf(renamed)).not.toContain('page-text-unavailable');
      await loader.close();
    });

    it('say so when its last good version cannot be served after a restart, rather than claim it is', async () => {
      await writeSite();
      const first = createContentLoader(dir, { cacheDir });
      await first.load();
      await first.close();
      // While the service is stopped: alpha breaks, and what its templates read changes.
      await writeFile(path.join(dir, 'alpha.md'), '---\ntitle: [unclosed\n---\n\nBroken.\n');
      await writeFile(path.join(dir, 'beta.md'), jekyllPage('Beta renamed', 'Beta.'));
      const restarted = createContentLoader(dir, { cacheDir });
      const snapshot = await restarted.load();
      expect(snapshot.published.bySlug.has('alpha')).toBe(false);
      expect(codesOf(snapshot)).toContain('page-text-unavailable');
      expect(codesOf(snapshot)).not.toContain('serving-last-good');
      // The file back as it was: its text is at hand again, and the page is rendered.
      await writeFile(path.join(dir, 'alpha.md'), jekyllPage('Alpha', `Pages: ${list}`));
      const fixed = await restarted.load(['alpha.md']);
      expect(fixed.published.bySlug.get('alpha')!.page.html).toContain('Beta renamed;');
      expect(codesOf(fixed)).toEqual([]);
      await restarted.close();
    });
  });
});
