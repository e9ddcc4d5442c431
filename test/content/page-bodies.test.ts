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
});
