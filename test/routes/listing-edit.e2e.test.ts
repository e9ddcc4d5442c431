import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { writeHomeCopies } from '../helpers/home-copies.ts';

/**
 * An editor saving while the service starts (a first load renders thousands of pages) sees each
 * save served as soon as its page is rendered, from the listing served meanwhile, over HTTP (the
 * response cache in front of the router included), and never the page before it afterwards.
 */
describe('live edits while a first load renders', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('serves each save before the first version is loaded, and the last save once it is', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'listing-edit-'));
    dirs.push(dir);
    // Enough pages that rendering them takes seconds on any machine that runs the tests: the
    // service renders on every core.
    const count = 1250 * Math.max(2, availableParallelism());
    const slug = `page-${count - 100}`;
    await writeHomeCopies(dir, count);
    const app = await buildApp({ contentDir: dir, loadInBackground: true, watch: true, precompressMaxBytes: 0 });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/pages/${slug}`;
      const title = async () => ((await (await fetch(url)).json()) as { title: string }).title;
      /** An editor's atomic save: a temporary file renamed over the page. */
      const save = async (newTitle: string) => {
        const file = path.join(dir, `${slug}.md`);
        const text = await readFile(file, 'utf8');
        await writeFile(`${file}.tmp`, text.replace(/^title: .*$/m, `title: "${newTitle}"`));
        await rename(`${file}.tmp`, file);
      };
      /** The title served once it is `expected`, or after 10 s. */
      const served = async (expected: string) => {
        let seen = await title();
        for (let tries = 0; tries < 500 && seen !== expected; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen = await title();
        }
        return seen;
      };
      let loaded = false;
      void app.content.loaded.then(() => (loaded = true));
      await app.content.watching;
      while (app.content.status.listed === null) await new Promise((resolve) => setTimeout(resolve, 10));

      await save('First save');
      expect(await served('First save')).toBe('First save');
      // Asked again: the response cache in front of the router remembers it (routed twice), and forgets it at the next save.
      expect(await title()).toBe('First save');
      await save('Second save');
      expect(await served('Second save')).toBe('Second save');
      expect(loaded, 'both saves were served before the first version').toBe(false);

      await app.content.loaded;
      // The first version has the saves in: the page never goes back to its title before them.
      expect(await title()).toBe('Second save');
      await save('Third save');
      expect(await served('Third save')).toBe('Third save');
    } finally {
      await app.close();
    }
  }, 120_000);
});
