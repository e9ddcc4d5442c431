import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import type { ContentUpdate } from '../../src/plugins/content.ts';
import { copyOfBundledContent } from '../helpers/app.ts';
import { cutShortFirstLoad } from '../helpers/cut-short.ts';
import { writeHomeCopies } from '../helpers/home-copies.ts';

let work: string;
afterEach(() => rm(work, { recursive: true, force: true }));

/** The service over `dir` with a render cache folder, and the messages it logs (with the lines). */
async function start(dir: string, cacheDir: string, loadInBackground = false) {
  const messages: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write: (chunk, _encoding, done) => {
      const line = JSON.parse(String(chunk)) as Record<string, unknown>;
      lines.push(line);
      done(void messages.push(String(line.msg)));
    },
  });
  const app = await buildApp(
    { contentDir: dir, cacheDir, bodyCacheMaxBytes: 1024 * 1024, loadInBackground },
    { logger: { level: 'info', stream } },
  );
  return { app, messages, lines };
}

describe('the service after a clean shutdown', () => {
  it('serves the saved snapshot at once, the same pages and ETags, announces nothing, and applies edits as before', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('resume-app-');
    work = site.work;
    const first = await start(dir, cacheDir);
    const before = await first.app.inject({ url: '/v1/pages/resources' });
    const list = await first.app.inject({ url: '/v1/pages?limit=50' });
    await first.app.close();
    expect(first.messages).toContain('content loaded');

    const second = await start(dir, cacheDir);
    try {
      const updates: ContentUpdate[] = [];
      second.app.content.onUpdate((update) => updates.push(update));
      expect(second.messages).toContain('content resumed');
      const after = await second.app.inject({ url: '/v1/pages/resources' });
      expect([after.statusCode, after.headers.etag, after.body]).toEqual([200, before.headers.etag, before.body]);
      expect((await second.app.inject({ url: '/v1/pages?limit=50' })).body).toBe(list.body);
      // The load behind it found the same version: nothing to announce.
      await second.app.content.reload();
      expect(updates).toEqual([]);
      expect(second.app.content.snapshot.read).toBe(0);

      await writeFile(
        path.join(dir, 'resources.md'),
        '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nEdited after a resumed start.\n',
      );
      await second.app.content.reload(['resources.md']);
      expect(updates.map((update) => update.changedSlugs)).toEqual([['resources']]);
      const edited = await second.app.inject({ url: '/v1/pages/resources' });
      expect(edited.json().html).toContain('Edited after a resumed start.');
    } finally {
      await second.app.close();
    }
  });

  it('serves at once the listing a shutdown saved before the first load ended, and each page as the load then serves it', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'resume-listing-'));
    const dir = path.join(work, 'site');
    const cacheDir = path.join(work, 'cache');
    await mkdir(dir);
    await writeHomeCopies(dir, 400);
    // A first start cut short: stopped a moment after every page was listed.
    await cutShortFirstLoad(dir, cacheDir, { afterMs: 200 });

    const second = await start(dir, cacheDir, true);
    try {
      let loaded = false;
      void second.app.content.loaded.then(() => (loaded = true));
      const list = await second.app.inject('/v1/pages?limit=2');
      // The last page in file order: not rendered by then, rendered first once asked for.
      const last = await second.app.inject('/v1/pages/page-99');
      expect(loaded).toBe(false);
      expect(list.json()).toMatchObject({ total: 400, items: [{ slug: 'page-0', title: 'Page 0' }, { slug: 'page-1' }] });
      expect(second.lines.find((line) => line.msg === 'content listed')).toMatchObject({ pages: 400, resumed: true });
      await second.app.content.loaded;
      // The same bytes and ETags as the loaded version's.
      const again = await second.app.inject('/v1/pages/page-99');
      expect([last.statusCode, last.headers.etag, last.body]).toEqual([200, again.headers.etag, again.body]);
      expect((await second.app.inject('/v1/pages?limit=2')).json().items).toEqual(list.json().items);
      expect(second.messages.indexOf('content listed')).toBeLessThan(second.messages.indexOf('content loaded'));
    } finally {
      await second.app.close();
    }
  }, 60_000);
});
