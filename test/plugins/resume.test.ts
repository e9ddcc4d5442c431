import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import type { ContentUpdate } from '../../src/plugins/content.ts';
import { copyOfBundledContent } from '../helpers/app.ts';

let work: string;
afterEach(() => rm(work, { recursive: true, force: true }));

/** The service over `dir` with a render cache folder, and the messages it logs. */
async function start(dir: string, cacheDir: string) {
  const messages: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => done(void messages.push(String(JSON.parse(String(chunk)).msg))) });
  const app = await buildApp({ contentDir: dir, cacheDir, bodyCacheMaxBytes: 1024 * 1024 }, { logger: { level: 'info', stream } });
  return { app, messages };
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
});
