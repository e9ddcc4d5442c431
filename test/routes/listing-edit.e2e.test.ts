import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { saveAtomically } from '../helpers/atomic-save.ts';
import { writeHomeCopies } from '../helpers/home-copies.ts';
import { until } from '../helpers/poll.ts';

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
      const save = (newTitle: string) =>
        saveAtomically(path.join(dir, `${slug}.md`), (text) => text.replace(/^title: .*$/m, `title: "${newTitle}"`));
      const served = (expected: string) => until(async () => (await title()) === expected, `the title "${expected}"`);
      let loaded = false;
      void app.content.loaded.then(() => (loaded = true));
      await app.content.watching;
      await until(() => app.content.status.listed !== null, 'the listing');

      await save('First save');
      await served('First save');
      // Asked again: the response cache in front of the router remembers it (routed twice), and forgets it at the next save.
      expect(await title()).toBe('First save');
      await save('Second save');
      await served('Second save');
      expect(loaded, 'both saves were served before the first version').toBe(false);

      await app.content.loaded;
      // The first version has the saves in: the page never goes back to its title before them.
      expect(await title()).toBe('Second save');
      await save('Third save');
      await served('Third save');
    } finally {
      await app.close();
    }
  }, 120_000);
});
