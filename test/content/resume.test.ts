import { readdir, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { copyOfBundledContent } from '../helpers/app.ts';

let work: string;
afterEach(() => rm(work, { recursive: true, force: true }));

/** A site loaded once and shut down cleanly: its cache folder holds what a resumed start reads. */
async function savedSite() {
  const { dir, cacheDir, ...site } = await copyOfBundledContent('resume-');
  work = site.work;
  const first = createContentLoader(dir, { cacheDir });
  const loaded = await first.load();
  await first.close();
  return { dir, cacheDir, loaded };
}

/** Everything a client can see of a snapshot's pages: each page's JSON and HTML with their ETags, the lists and the problems. */
function served(snapshot: Snapshot) {
  return {
    version: snapshot.version,
    previewVersion: snapshot.previewVersion,
    diagnostics: snapshot.diagnostics,
    privateFiles: [...snapshot.privateFiles],
    published: snapshot.published.pages.map((record) => record.summary.slug),
    preview: snapshot.preview.pages.map((record) => record.summary.slug),
    redirects: [...snapshot.published.redirects],
    navigation: snapshot.published.navigation,
    faq: JSON.stringify(snapshot.published.faq),
    pages: snapshot.pages.map((record) => ({
      file: record.file,
      summary: record.summary,
      frontMatter: record.frontMatter,
      json: record.json.body.toString(),
      jsonEtag: record.json.etag,
      html: record.html.body.toString(),
      htmlEtag: record.html.etag,
      lastModified: record.json.lastModifiedHttp,
      outline: record.outline.map((section) => section.id),
      facts: record.facts,
    })),
  };
}

describe('a resumed start (the snapshot saved at a clean shutdown)', () => {
  it('serves what a load of the same files serves, drafts only in preview, and the load after it keeps its records', async () => {
    const { dir, cacheDir, loaded } = await savedSite();
    expect(loaded.preview.bySlug.has('roadmap-draft')).toBe(true);

    const loader = createContentLoader(dir, { cacheDir });
    const resumed = (await loader.resume())?.snapshot;
    expect(resumed).not.toBeNull();
    expect([resumed!.read, resumed!.rendered]).toEqual([0, 0]);
    expect(resumed!.published.bySlug.has('roadmap-draft')).toBe(false);
    expect(served(resumed!)).toEqual(served(loaded));

    // The load that builds the loader's state behind it makes the same records, and takes them.
    const behind = await loader.load();
    expect([behind.version, behind.previewVersion]).toEqual([resumed!.version, resumed!.previewVersion]);
    expect(behind.pages.every((record, at) => record === resumed!.pages[at])).toBe(true);
    // A live edit then applies to it as to any load.
    await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nEdited after a resumed start.\n');
    const edited = await loader.load(['resources.md']);
    expect(edited.published.bySlug.get('resources')!.page.html).toContain('Edited after a resumed start.');
    expect(edited.version).not.toBe(resumed!.version);
    await loader.close();

    // Saved again at that shutdown: the next start resumes the edited version.
    const again = createContentLoader(dir, { cacheDir });
    expect((await again.resume())?.snapshot.version).toBe(edited.version);
    await again.close();
  });

  it('gives each resumed page its excerpt (UTF-8, none, from the front matter) and front matter as a load does, in its summary\'s own fields, in order', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('resume-texts-');
    work = site.work;
    await writeFile(path.join(dir, 'naive.md'), '---\ntitle: Naïve\ntags: [café]\n---\n\nA naïve 日本語 paragraph — ✓ with 🎉.\n\nMore.\n');
    await writeFile(path.join(dir, 'bare.md'), '---\ntitle: Bare\n---\n\n## Only a heading\n');
    await writeFile(path.join(dir, 'given.md'), '---\ntitle: Given\nexcerpt: "Set by hand: ünïcödé"\nnote: { nested: [1, "two"] }\n---\n\nBody.\n');
    const first = createContentLoader(dir, { cacheDir });
    const loaded = await first.load();
    await first.close();

    const loader = createContentLoader(dir, { cacheDir });
    const resumed = (await loader.resume())!.snapshot;
    const summaryOf = (snapshot: Snapshot, slug: string) => snapshot.published.bySlug.get(slug)!.summary;
    expect(summaryOf(resumed, 'naive').excerpt).toBe('A naïve 日本語 paragraph — ✓ with 🎉.');
    expect(summaryOf(resumed, 'bare').excerpt).toBeNull();
    expect(summaryOf(resumed, 'given').excerpt).toBe('Set by hand: ünïcödé');
    expect(resumed.published.bySlug.get('given')!.frontMatter).toMatchObject({ note: { nested: [1, 'two'] } });
    for (const slug of ['naive', 'bare', 'given']) {
      const [was, now] = [summaryOf(loaded, slug), summaryOf(resumed, slug)];
      // What lists, spreads and JSON see of a summary: its own fields, in the same order.
      expect(Object.keys(now)).toEqual(Object.keys(was));
      expect(JSON.stringify(now)).toBe(JSON.stringify(was));
      expect({ ...now }).toEqual({ ...was });
    }
    expect(served(resumed)).toEqual(served(loaded));
    await loader.close();
  });

  it('resumes every page of a site whose texts take several groups, by count and by size', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('resume-groups-');
    work = site.work;
    // 300 small pages (more than one group's count), then 40 of some 60 KB of front matter each (more than one group's bytes).
    for (let at = 0; at < 300; at++) await writeFile(path.join(dir, `small-${at}.md`), `---\ntitle: Small ${at}\n---\n\nPage ${at}, é.\n`);
    const large = 'x'.repeat(60_000);
    for (let at = 0; at < 40; at++) await writeFile(path.join(dir, `large-${at}.md`), `---\ntitle: Large ${at}\nblob: "${large}${at}"\n---\n\nLarge ${at}.\n`);
    const first = createContentLoader(dir, { cacheDir });
    const loaded = await first.load();
    await first.close();

    const loader = createContentLoader(dir, { cacheDir });
    const resumed = (await loader.resume())!.snapshot;
    expect(resumed.read).toBe(0);
    expect(served(resumed)).toEqual(served(loaded));
    expect(resumed.published.bySlug.get('large-39')!.frontMatter).toMatchObject({ blob: `${large}39` });
    await loader.close();
  });

  it('reads each record\'s render only when it is first used: the record file is held open, so a start after it was deleted still serves', async () => {
    const { dir, cacheDir, loaded } = await savedSite();
    const loader = createContentLoader(dir, { cacheDir });
    const resumed = (await loader.resume())?.snapshot;
    for (const name of await readdir(cacheDir)) if (name.endsWith('-resume-inputs.bin')) await rm(path.join(cacheDir, name));
    expect(resumed!.published.bySlug.get('index')!.page.html).toBe(loaded.published.bySlug.get('index')!.page.html);
    await loader.close();
  });

  it.each<[string, (dir: string, cacheDir: string) => Promise<void>]>([
    ['a page edited while stopped', (dir) => writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nChanged.\n')],
    ['a page touched (its time changed)', (dir) => utimes(path.join(dir, 'index.md'), new Date(), new Date('2020-01-01'))],
    ['a page added', (dir) => writeFile(path.join(dir, 'new-page.md'), '---\ntitle: "New"\n---\n\nNew.\n')],
    ['a page removed', (dir) => rm(path.join(dir, 'resources.md'))],
    ['a page renamed', (dir) => rename(path.join(dir, 'resources.md'), path.join(dir, 'resources-2.md'))],
    ['a page replaced by a symlink out of the folder', async (dir) => {
      await writeFile(path.join(dir, '..', 'outside.md'), '---\ntitle: "Outside"\n---\n\nSecret.\n');
      await rm(path.join(dir, 'resources.md'));
      await symlink(path.join(dir, '..', 'outside.md'), path.join(dir, 'resources.md'));
    }],
    ['the site settings changed', (dir) => writeFile(path.join(dir, '_config.yml'), 'title: Another title\n', { flag: 'a' })],
    ['an image added', (dir) => writeFile(path.join(dir, 'images', 'new.png'), Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'))],
    ['the record file deleted', async (_, cacheDir) => {
      for (const name of await readdir(cacheDir)) if (name.endsWith('-resume-inputs.bin')) await rm(path.join(cacheDir, name));
    }],
    ['the resume part deleted', async (_, cacheDir) => {
      for (const name of await readdir(cacheDir)) if (name.endsWith('-resume.bin')) await rm(path.join(cacheDir, name));
    }],
  ])('does not resume after %s: the start loads', async (_, change) => {
    const { dir, cacheDir } = await savedSite();
    await change(dir, cacheDir);
    const loader = createContentLoader(dir, { cacheDir });
    expect(await loader.resume()).toBeNull();
    const snapshot = await loader.load();
    expect(snapshot.published.pages.length).toBeGreaterThan(0);
    expect(JSON.stringify(snapshot.pages.map((record) => record.page))).not.toContain('Secret.');
    await loader.close();
  });

  it('does not resume under another PUBLIC_URL or other embed hosts (rendered pages differ)', async () => {
    const { dir, cacheDir } = await savedSite();
    for (const options of [{ publicUrl: 'https://api.example.org' }, { embedHosts: ['embed.example.org'] }]) {
      const loader = createContentLoader(dir, { cacheDir, ...options });
      expect(await loader.resume()).toBeNull();
      await loader.close();
    }
  });

  it('is not saved when a file could not be read (its problem may not recur), and resumes nothing then', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('resume-');
    work = site.work;
    await writeFile(path.join(dir, 'huge.md'), `---\ntitle: "Huge"\n---\n\n${'x'.repeat(2 * 1024 * 1024)}\n`);
    const first = createContentLoader(dir, { cacheDir });
    expect((await first.load()).diagnostics.some((problem) => problem.file === 'huge.md' && problem.code === 'file-too-large')).toBe(true);
    await first.close();
    const loader = createContentLoader(dir, { cacheDir });
    expect(await loader.resume()).toBeNull();
    await loader.close();
  });

  it('resumes only before the first load', async () => {
    const { dir, cacheDir } = await savedSite();
    const loader = createContentLoader(dir, { cacheDir });
    await loader.load();
    expect(await loader.resume()).toBeNull();
    await loader.close();
  });
});
