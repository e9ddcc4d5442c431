import { cp, mkdir, mkdtemp, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { loadContent } from '../../src/content/load.ts';
import { bundledContent } from '../helpers/app.ts';
import { makeFoldersTooDeepToList, removeTree } from '../helpers/long-path.ts';

/** Polls `check` until it holds or the deadline passes (no fixed sleeps). */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} not met before the deadline`);
}

const page = (title: string, body: string, extra = '') => `---\ntitle: "${title}"\n${extra}---\n\n${body}\n`;

let app: FastifyInstance | undefined;
let dir: string;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function watchedCopy() {
  dir = await mkdtemp(path.join(tmpdir(), 'watch-'));
  await cp(bundledContent, dir, { recursive: true });
  app = await buildApp({ contentDir: dir, watch: true });
  await app.content.watching;
  return app;
}

const text = async (url: string) => (await app!.inject(url)).body;
const status = async (url: string) => (await app!.inject(url)).statusCode;

describe('live reload', () => {
  it('serves created, edited, atomically saved, renamed and deleted files', async () => {
    await watchedCopy();
    await writeFile(path.join(dir, 'live.md'), page('Live', 'First text.'));
    await until(async () => (await text('/v1/pages/live')).includes('First text.'));

    await writeFile(path.join(dir, 'live.md'), page('Live', 'Second text.'));
    await until(async () => (await text('/v1/pages/live')).includes('Second text.'));

    // An editor's atomic save: write a temporary file, then rename it over the page.
    await writeFile(path.join(dir, '.live.md.swp'), page('Live', 'Atomic text.'));
    await rename(path.join(dir, '.live.md.swp'), path.join(dir, 'live.md'));
    await until(async () => (await text('/v1/pages/live')).includes('Atomic text.'), 10_000, 'atomic save visible');
    // The file replaced by the rename is still watched.
    await writeFile(path.join(dir, 'live.md'), page('Live', 'After the atomic save.'));
    await until(async () => (await text('/v1/pages/live')).includes('After the atomic save.'), 10_000, 'edit after an atomic save');

    await rename(path.join(dir, 'live.md'), path.join(dir, 'moved.md'));
    await until(async () => (await status('/v1/pages/live')) === 404 && (await text('/v1/pages/moved')).includes('After the atomic save.'), 10_000, 'rename visible');

    // A new folder and a page in it.
    await mkdir(path.join(dir, 'guides'));
    await writeFile(path.join(dir, 'guides', 'setup.md'), page('Setup', 'In a new folder.'));
    await until(async () => (await text('/v1/pages/setup')).includes('In a new folder.'), 10_000, 'page in a new folder');
    await writeFile(path.join(dir, 'guides', 'setup.md'), page('Setup', 'Edited in the new folder.'));
    await until(async () => (await text('/v1/pages/setup')).includes('Edited in the new folder.'), 10_000, 'edit in a new folder');
    await rm(path.join(dir, 'guides'), { recursive: true });
    await until(async () => (await status('/v1/pages/setup')) === 404, 10_000, 'folder removed');

    await unlink(path.join(dir, 'moved.md'));
    await until(async () => (await status('/v1/pages/moved')) === 404);
    expect((await app!.inject('/v1/pages')).json().total).toBe(6);
  });

  it('serves the pages of a new folder named like a page, and drops them when it is removed', async () => {
    await watchedCopy();
    await mkdir(path.join(dir, 'guide.md'));
    await writeFile(path.join(dir, 'guide.md', 'inner.md'), page('Inner', 'In a folder named like a page.'));
    await until(async () => (await text('/v1/pages/inner')).includes('In a folder named like a page.'), 10_000, 'page in a folder named like a page');
    // The folder is watched: a later page in it is seen too.
    await writeFile(path.join(dir, 'guide.md', 'second.md'), page('Second', 'Added later.'));
    await until(async () => (await text('/v1/pages/second')).includes('Added later.'), 10_000, 'later page in that folder');
    expect(app!.content.snapshot.diagnostics.filter((problem) => problem.file === 'guide.md')).toEqual([]);

    await rm(path.join(dir, 'guide.md'), { recursive: true });
    await until(async () => (await status('/v1/pages/inner')) === 404 && (await status('/v1/pages/second')) === 404, 10_000, 'folder removed');
    expect((await app!.inject('/v1/pages')).json().total).toBe(6);
  });

  it('watches every folder it can list when one cannot be listed (too deep for the system)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'watch-'));
    await cp(bundledContent, dir, { recursive: true });
    await mkdir(path.join(dir, 'notes'));
    await writeFile(path.join(dir, 'notes', 'first.md'), page('First', 'A note.'));
    makeFoldersTooDeepToList(dir);
    try {
      app = await buildApp({ contentDir: dir, watch: true });
      await app.content.watching;
      await writeFile(path.join(dir, 'notes', 'first.md'), page('First', 'A note, edited.'));
      await until(async () => (await text('/v1/pages/first')).includes('A note, edited.'), 10_000, 'edit in a sub-folder');
    } finally {
      await app?.close();
      app = undefined;
      removeTree(dir);
    }
  });

  it('follows a page replaced by a folder of its name, and that folder replaced by a page again', async () => {
    await watchedCopy();
    const notes = path.join(dir, 'notes.md');
    await writeFile(notes, page('Notes', 'A page.'));
    await until(async () => (await text('/v1/pages/notes')).includes('A page.'), 10_000, 'page');

    await unlink(notes);
    await mkdir(notes);
    await writeFile(path.join(notes, 'inner.md'), page('Inner', 'Where the page was.'));
    await until(
      async () => (await status('/v1/pages/notes')) === 404 && (await text('/v1/pages/inner')).includes('Where the page was.'),
      10_000,
      'page replaced by a folder',
    );
    await writeFile(path.join(notes, 'second.md'), page('Second', 'Also in the folder.'));
    await until(async () => (await text('/v1/pages/second')).includes('Also in the folder.'), 10_000, 'later page in that folder');

    await rm(notes, { recursive: true });
    await writeFile(notes, page('Notes', 'A page again.'));
    await until(
      async () => (await text('/v1/pages/notes')).includes('A page again.') && (await status('/v1/pages/inner')) === 404 && (await status('/v1/pages/second')) === 404,
      10_000,
      'folder replaced by a page',
    );
    await writeFile(notes, page('Notes', 'Edited.'));
    await until(async () => (await text('/v1/pages/notes')).includes('Edited.'), 10_000, 'edit of the page');
    expect((await app!.inject('/v1/pages')).json().total).toBe(7);
  });

  it('does not follow a symlink named like a page to a folder outside the content folder', async () => {
    await watchedCopy();
    const outside = await mkdtemp(path.join(tmpdir(), 'watch-outside-'));
    try {
      await writeFile(path.join(outside, 'secret.md'), page('Secret', 'Outside the content folder.'));
      await symlink(outside, path.join(dir, 'linked.md'), 'dir');
      // A new folder forces a rescan; once its page is served, the symlink has been looked at too.
      await mkdir(path.join(dir, 'after'));
      await writeFile(path.join(dir, 'after', 'later.md'), page('Later', 'After the symlink.'));
      await until(async () => (await text('/v1/pages/later')).includes('After the symlink.'), 10_000, 'page after the symlink');
      expect(await status('/v1/pages/secret')).toBe(404);
      await writeFile(path.join(outside, 'secret.md'), page('Secret', 'Edited outside.'));
      await writeFile(path.join(dir, 'after', 'later.md'), page('Later', 'Edited after.'));
      await until(async () => (await text('/v1/pages/later')).includes('Edited after.'), 10_000, 'edit after the symlink');
      expect(await status('/v1/pages/secret')).toBe(404);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('keeps the last good version of a file that turns bad, reports it, and clears the error once fixed', async () => {
    await watchedCopy();
    const file = path.join(dir, 'resources.md');
    await writeFile(file, page('Resources', 'Good text.', 'permalink: /resources/\n'));
    await until(async () => (await text('/v1/pages/resources')).includes('Good text.'));

    await writeFile(file, '---\npermalink: /resources/\ntitle: 123\n---\n\nBroken text.\n');
    await until(async () => app!.content.snapshot.diagnostics.some((d) => d.file === 'resources.md' && d.line === 3 && d.field === 'title'));
    expect(await text('/v1/pages/resources')).toContain('Good text.');
    expect(await text('/v1/pages/resources')).not.toContain('Broken text.');

    await writeFile(file, page('Resources', 'Fixed text.', 'permalink: /resources/\n'));
    await until(async () => (await text('/v1/pages/resources')).includes('Fixed text.'));
    expect(app!.content.snapshot.diagnostics).toEqual([]);
  });

  it('removes a page everywhere in the same swap when it is unpublished', async () => {
    await watchedCopy();
    await writeFile(path.join(dir, 'peer-review.md'), page('Peer Review', '## FAQ\n\n### Gone?\n\nYes.', 'permalink: /peer-review/\npublished: false\n'));
    await until(async () => (await status('/v1/pages/peer-review')) === 404);
    const snapshot = app!.content.snapshot;
    expect(snapshot.published.bySlug.has('peer-review')).toBe(false);
    expect(snapshot.published.faq.some((entry) => entry.page === 'peer-review')).toBe(false);
    expect(snapshot.published.navigation.some((action) => action.page === 'peer-review')).toBe(false);
    expect(await text('/v1/pages?limit=100')).not.toContain('"slug":"peer-review"');
  });

  it('converges on a burst of 500 changes to exactly what a fresh start serves, answering only from complete snapshots', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'burst-'));
    await Promise.all(Array.from({ length: 500 }, (_, i) => writeFile(path.join(dir, `p${i}.md`), page(`Gen 0 #${i}`, `Body ${i}.`))));
    app = await buildApp({ contentDir: dir, watch: true });
    await app.content.watching;

    const seen: string[] = [];
    let hammering = true;
    const hammer = (async () => {
      while (hammering) {
        const response = await app.inject('/v1/pages?limit=100');
        expect(response.statusCode).toBe(200);
        const body = response.json();
        expect(body.items).toHaveLength(Math.min(100, body.total));
        for (const item of body.items) expect(item.title).toMatch(/^Gen [01] #\d+$/);
        seen.push(app.content.snapshot.version);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    // A checkout: every file rewritten, 50 deleted, 50 added.
    await Promise.all(Array.from({ length: 450 }, (_, i) => writeFile(path.join(dir, `p${i}.md`), page(`Gen 1 #${i}`, `Body ${i}, again.`))));
    await Promise.all(Array.from({ length: 50 }, (_, i) => unlink(path.join(dir, `p${450 + i}.md`))));
    await Promise.all(Array.from({ length: 50 }, (_, i) => writeFile(path.join(dir, `n${i}.md`), page(`Gen 1 #${500 + i}`, 'New.'))));

    const fresh = await loadContent(dir);
    await until(async () => app!.content.snapshot.version === fresh.version, 30_000);
    hammering = false;
    await hammer;
    expect(app.content.snapshot.published.pages.length).toBe(500);
    expect(seen.length).toBeGreaterThan(0);
    const titles = app.content.snapshot.published.pages.map((record) => record.summary.title);
    expect(titles.every((title) => title.startsWith('Gen 1'))).toBe(true);
  });
});

describe('WATCH off', () => {
  it('does not pick up changes', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'nowatch-'));
    await cp(bundledContent, dir, { recursive: true });
    app = await buildApp({ contentDir: dir, watch: false });
    const before = app.content.snapshot.version;
    await writeFile(path.join(dir, 'extra.md'), page('Extra', 'Text.'));
    // An explicit reload sees the file, proving the write happened; watching never triggered one.
    expect(app.content.snapshot.version).toBe(before);
    await app.content.reload();
    expect(app.content.snapshot.published.bySlug.has('extra')).toBe(true);
  });
});
