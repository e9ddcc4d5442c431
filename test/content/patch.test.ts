import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContentLoader, type ContentLoader } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { bundledContent } from '../helpers/app.ts';

let dir: string;
const loaders: ContentLoader[] = [];
afterEach(async () => {
  await Promise.all(loaders.splice(0).map((loader) => loader.close()));
  await rm(dir, { recursive: true, force: true });
});

const loader = () => {
  const created = createContentLoader(dir);
  loaders.push(created);
  return created;
};

/** What a client can see of a snapshot: versions, problems, and every page as served. */
function served(snapshot: Snapshot) {
  return {
    version: snapshot.version,
    previewVersion: snapshot.previewVersion,
    diagnostics: snapshot.diagnostics,
    pages: snapshot.pages.map((record) => [record.file, record.json.etag, record.json.body.toString(), record.published]),
    published: snapshot.published.pages.map((record) => record.summary.slug),
    bySlug: [...snapshot.published.bySlug.keys()],
    byPermalink: [...snapshot.published.byPermalink].map(([key, record]) => [key, record.summary.slug]),
  };
}

const page = (title: string, body: string, extra = '') => `---\ntitle: "${title}"\n${extra}---\n\n${body}\n`;

describe('a live edit (one page changed, none moved)', () => {
  it('gives the snapshot a whole load of the folder gives, edit after edit', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patch-'));
    await cp(bundledContent, dir, { recursive: true });
    await writeFile(path.join(dir, 'z-dup.md'), page('Dup', 'Same slug as a page before it: this one is left out.', 'slug: live\n'));
    await writeFile(path.join(dir, 'live.md'), page('Live', 'First [link](#nowhere) and [home](/).', 'redirect_from: /old-live/\n'));
    await writeFile(path.join(dir, 'draft.md'), page('Draft', 'Not yet.', 'published: false\n'));
    await writeFile(path.join(dir, 'stub.md'), '---\npermalink: /gone/\nredirect_to: /live/\n---\n');
    // The same history of the folder, loaded whole each time (a file's last good version is history too).
    const live = loader();
    const whole = loader();
    await Promise.all([live.load(), whole.load()]);

    const edits: [string, string][] = [
      ['live.md', page('Live', 'Second text, a [broken link](/nowhere/).', 'redirect_from: /old-live/\n')],
      ['live.md', page('Live again', 'Second text.\n\n## A heading\n\nMore.', 'redirect_from: /old-live/\n')],
      // Broken front matter: the last good version stays served, with the errors reported.
      ['live.md', '---\ntitle: 123\nredirect_from: /old-live/\n---\n\nBroken.\n'],
      ['live.md', page('Live', 'Fixed.', 'redirect_from: /old-live/\n')],
      ['draft.md', page('Draft', 'Still not published, edited.', 'published: false\n')],
      ['z-dup.md', page('Dup edited', 'Still the same slug.', 'slug: live\n')],
      ['stub.md', '---\npermalink: /gone/\nredirect_to: /live/\ntitle: Stub\n---\n'],
      // Moves a page (a new permalink): a whole load, which the next edit patches again.
      ['live.md', page('Live', 'Moved.', 'permalink: /moved/\nredirect_from: /old-live/\n')],
      ['live.md', page('Live', 'Moved, edited.', 'permalink: /moved/\nredirect_from: /old-live/\n')],
    ];
    for (const [file, text] of edits) {
      await writeFile(path.join(dir, file), text);
      const patched = await live.load([file]);
      expect(served(patched), `${file}: ${text}`).toEqual(served(await whole.load()));
    }
  });

  it('says where a whole load spent its time, stage by stage, and a patched edit, which skips the stages, only its total', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patch-'));
    await cp(bundledContent, dir, { recursive: true });
    const live = loader();
    const first = await live.load();
    expect(Object.keys(first.stagesMs!)).toEqual(['prepare', 'read', 'select', 'render', 'assemble', 'publish']);
    const total = Object.values(first.stagesMs!).reduce((sum, ms) => sum + ms, 0);
    expect(Math.abs(total - first.loadMs)).toBeLessThanOrEqual(6);
    // The same front matter (the page does not move), one more paragraph: patched into the last load.
    await writeFile(path.join(dir, 'index.md'), `${await readFile(path.join(dir, 'index.md'), 'utf8')}\nOne more paragraph.\n`);
    const patched = await live.load(['index.md']);
    expect(patched.published.bySlug.get('index')!.page.html).toContain('One more paragraph.');
    expect(patched.loadMs).toBeGreaterThanOrEqual(0);
    expect(patched.stagesMs).toBeUndefined();
  });
});

describe('an edit of front matter a render does not read', () => {
  /**
   * Loads the folder with a live loader and one that loads it whole each time; `edit` writes a
   * file, checks that the live loader serves what both that loader and a fresh one (no render to
   * reuse) serve, and gives the live loader's snapshot.
   */
  async function history(files: Record<string, string>) {
    dir = await mkdtemp(path.join(tmpdir(), 'patch-'));
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
    const live = loader();
    const whole = loader();
    await Promise.all([live.load(), whole.load()]);
    return async (file: string, text: string) => {
      await writeFile(path.join(dir, file), text);
      const patched = await live.load([file]);
      expect(served(patched), text).toEqual(served(await whole.load()));
      expect(served(patched), text).toEqual(served(await loader().load()));
      return patched;
    };
  }
  const json = (snapshot: Snapshot, slug: string) => JSON.parse(snapshot.published.bySlug.get(slug)!.json.body.toString());

  it('renders nothing (its title, tags or description), and renders again when the body or the line it starts on changes', async () => {
    const edit = await history({
      'live.md': page('Live', 'Text with a [broken link](/nowhere/).', 'tags: [a]\ndescription: Old.\n'),
      'other.md': page('Other', 'Links [live](/live/).'),
    });
    const retitled = await edit('live.md', page('Live retitled', 'Text with a [broken link](/nowhere/).', 'tags: [b]\ndescription: New.\n'));
    expect(retitled.rendered).toBe(0);
    expect(json(retitled, 'live')).toMatchObject({ title: 'Live retitled', tags: ['b'], front_matter: { description: 'New.' } });

    // One more front-matter line moves the body down: the broken link's problem is a line lower.
    const moved = await edit('live.md', page('Live retitled', 'Text with a [broken link](/nowhere/).', 'tags: [b]\ndescription: New.\nlayout: page\n'));
    expect(moved.rendered).toBe(1);
    expect(moved.diagnostics.find((d) => d.file === 'live.md' && d.code === 'broken-link')?.line).toBe(8);

    const rewritten = await edit('live.md', page('Live retitled', 'Other text.', 'tags: [b]\ndescription: New.\nlayout: page\n'));
    expect(rewritten.rendered).toBe(1);
    expect(json(rewritten, 'live').html).toContain('Other text.');
  });

  it('renders a Jekyll page again when its body has Liquid, which can read the front matter, and not when it has none', async () => {
    const edit = await history({
      '_config.yml': 'title: Site\n',
      'liquid.md': page('Liquid', 'This is {{ page.title }}.'),
      'plain.md': page('Plain', 'No templates here.'),
    });
    const liquid = await edit('liquid.md', page('Liquid retitled', 'This is {{ page.title }}.'));
    expect(liquid.rendered).toBe(1);
    expect(json(liquid, 'liquid').html).toContain('This is Liquid retitled.');
    const plain = await edit('plain.md', page('Plain retitled', 'No templates here.'));
    expect(plain.rendered).toBe(0);
    expect(json(plain, 'plain').title).toBe('Plain retitled');
  });
});
