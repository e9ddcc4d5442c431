import { readdir, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';
import { copyOfBundledContent } from '../helpers/app.ts';

let work: string;
afterEach(() => rm(work, { recursive: true, force: true }));

describe('the warm-start pack (RENDER_CACHE_DIR)', () => {
  it('lets a restart render nothing unchanged, re-renders what changed, and is safe to delete', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('warm-');
    work = site.work;

    const cold = createContentLoader(dir, { cacheDir });
    const first = await cold.load();
    expect(first.rendered).toBe(7);
    await cold.flush();
    expect((await readdir(cacheDir)).length).toBeGreaterThan(0);

    const warm = await createContentLoader(dir, { cacheDir }).load();
    expect(warm.read).toBe(0);
    expect(warm.rendered).toBe(0);
    expect(warm.version).toBe(first.version);
    expect(warm.published.bySlug.get('index')!.json.etag).toBe(first.published.bySlug.get('index')!.json.etag);

    // A file touched but not changed is read again (its time changed) and still not rendered: same content hash.
    await utimes(path.join(dir, 'index.md'), new Date(), new Date());
    const touched = createContentLoader(dir, { cacheDir });
    expect((await touched.load()).rendered).toBe(0);
    await touched.flush();

    // Keyed by content hash: a changed file is rendered again, never served from the pack.
    await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nChanged while stopped.\n');
    const restarted = createContentLoader(dir, { cacheDir });
    const changed = await restarted.load();
    expect(changed.rendered).toBe(1);
    expect(changed.published.bySlug.get('resources')!.page.html).toContain('Changed while stopped.');
    await restarted.flush();

    await rm(cacheDir, { recursive: true });
    const fresh = createContentLoader(dir, { cacheDir });
    expect((await fresh.load()).rendered).toBe(7);
    await fresh.flush();
  });

  it('after live edits, a restart still reads and renders only what changed', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('warm-');
    work = site.work;

    const live = createContentLoader(dir, { cacheDir });
    expect((await live.load()).read).toBe(7);
    await live.flush();
    await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nEdited live.\n');
    const edited = await live.load(['resources.md']);
    expect([edited.read, edited.rendered]).toEqual([1, 1]);
    // A full rescan (as after a folder is added) reads nothing unchanged either.
    expect((await live.load()).read).toBe(0);
    await live.flush();

    const restarted = await createContentLoader(dir, { cacheDir }).load();
    expect([restarted.read, restarted.rendered]).toEqual([0, 0]);
    expect(restarted.published.bySlug.get('resources')!.page.html).toContain('Edited live.');
  });

  it('shrugs off a damaged pack: what can be read is used, the rest is read and rendered again', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('warm-');
    work = site.work;
    const cold = createContentLoader(dir, { cacheDir });
    const first = await cold.load();
    await cold.flush();
    for (const file of await readdir(cacheDir)) {
      const { size } = await stat(path.join(cacheDir, file));
      await truncate(path.join(cacheDir, file), Math.floor(size / 2));
    }
    const loader = createContentLoader(dir, { cacheDir });
    const damaged = await loader.load();
    await loader.flush();
    expect(damaged.version).toBe(first.version);
    expect(damaged.diagnostics).toEqual(first.diagnostics);
    expect(damaged.published.bySlug.get('index')!.page).toEqual(first.published.bySlug.get('index')!.page);
  });
});
