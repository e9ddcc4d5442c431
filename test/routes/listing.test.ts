import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { writeHomeCopies } from '../helpers/home-copies.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';

/**
 * While a first load renders, lists and pages are answered from its listing: every page it will
 * serve, each rendered first when a request needs it. Everything else waits for the first version.
 */
describe('serving a first load while its pages are rendered', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('answers lists and pages as the loaded version does, before it is loaded, and the rest once it is', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'listing-routes-'));
    dirs.push(dir);
    // Enough pages that rendering them takes seconds on any machine that runs the tests.
    const count = 2500;
    await writeHomeCopies(dir, count);
    await writeFile(path.join(dir, 'untitled.md'), '---\npermalink: /untitled/\n---\n\n# Heading as title\n\nIts first paragraph.\n');
    await writeFile(path.join(dir, 'draft.md'), '---\ntitle: Draft\npublished: false\n---\n\nNot yet.\n');

    const app = checkedAgainstContract(await buildApp({ contentDir: dir, loadInBackground: true, precompressMaxBytes: 0 }));
    try {
      let loaded = false;
      void app.content.loaded.then(() => (loaded = true));
      // Waits for the listing, not for the version.
      const list = await app.inject('/v1/pages?limit=2');
      expect(loaded).toBe(false);
      expect(list.statusCode).toBe(200);
      expect(list.json()).toMatchObject({ total: count + 1, items: [{ slug: 'page-0', title: 'Page 0' }, { slug: 'page-1' }] });
      expect(list.json().items[0].excerpt).toMatch(/^pyOpenSci promotes/);
      const ready = await app.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().detail).toContain(`${count + 1} pages are listed`);

      // A page and its parts, rendered first; a title that only its render gives; no draft.
      const page = await app.inject('/v1/pages/page-2400');
      const sections = await app.inject('/v1/pages/page-2300/sections');
      const untitled = await app.inject('/v1/pages?path=/untitled/&fields=title,excerpt');
      const draft = await app.inject('/v1/pages/draft');
      expect(loaded).toBe(false);
      expect(page.statusCode).toBe(200);
      expect(page.json()).toMatchObject({ slug: 'page-2400', title: 'Page 2400' });
      expect(sections.json().items.length).toBeGreaterThan(0);
      expect(untitled.json().items).toEqual([{ slug: 'untitled', title: 'Heading as title', excerpt: 'Its first paragraph.' }]);
      expect(draft.statusCode).toBe(404);
      // An order only renders give, and what the listing does not answer (search), wait for the version.
      const byTitle = await app.inject('/v1/pages?sort=title&limit=1');
      expect(loaded).toBe(true);
      expect(byTitle.json().items[0].slug).toBe('untitled');

      // The same bytes and the same ETag as the loaded version's.
      const again = await app.inject('/v1/pages/page-2400');
      expect(again.body).toBe(page.body);
      expect(again.headers.etag).toBe(page.headers.etag);
      const listAgain = await app.inject('/v1/pages?limit=2');
      expect(listAgain.body).toBe(list.body);
      expect((await app.inject('/ready')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('answers a list holding a page whose render failed from the first version, once served, and 503 with Retry-After if it is not served in time', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'listing-failed-'));
    dirs.push(dir);
    await writeHomeCopies(dir, 1500);
    // Refused by the render (nesting past the cap), which the listing cannot know beforehand.
    await writeFile(path.join(dir, 'deep.md'), `---\ntitle: Deep\npermalink: /deep/\n---\n\n${'> '.repeat(3000)}deep\n`);
    const list = '/v1/pages?path=/deep/';

    const app = checkedAgainstContract(await buildApp({ contentDir: dir, loadInBackground: true, precompressMaxBytes: 0 }));
    try {
      let loaded = false;
      void app.content.loaded.then(() => (loaded = true));
      while (app.content.status.listed === null) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(loaded, 'asked while the listing is served').toBe(false);
      const answer = await app.inject(list);
      // Answered once the first version was served: without the page its load left out.
      expect(loaded).toBe(true);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ total: 0, items: [] });
    } finally {
      await app.close();
    }

    const impatient = checkedAgainstContract(
      await buildApp({ contentDir: dir, loadInBackground: true, precompressMaxBytes: 0, startupWaitMs: 0 }),
    );
    try {
      // Once the pages are listed (requests before that get 503 at once: no startup wait).
      while (impatient.content.status.listed === null) await new Promise((resolve) => setTimeout(resolve, 10));
      const before = await impatient.inject('/v1/pages?path=/page-1/');
      const answer = await impatient.inject(list);
      expect(before.statusCode, 'the listing answers lists of pages that render').toBe(200);
      expect(impatient.content.status.state).toBe('starting');
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.json().detail).toContain('could not be rendered');
    } finally {
      await impatient.close();
    }
  }, 120_000);
});
