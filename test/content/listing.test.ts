import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { saveAtomically } from '../helpers/atomic-save.ts';
import { cutShortFirstLoad } from '../helpers/cut-short.ts';
import { writeHomeCopies } from '../helpers/home-copies.ts';

/**
 * A first load lists every page it will serve as soon as the files are read and validated, and
 * renders them behind the listing: what a page is asked for is rendered before the rest.
 */
describe('a first load lists its pages before it renders them', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  /** `count` copies of the bundled home page, each at its own permalink, and one page titled by its first heading. */
  async function siteOf(count: number): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'listing-'));
    dirs.push(dir);
    await writeHomeCopies(dir, count);
    await writeFile(path.join(dir, 'untitled.md'), '---\npermalink: /untitled/\n---\n\n# Heading as title\n\nIts first paragraph.\n');
    return dir;
  }

  it('lists every page before the load ends, and gives each as the load serves it, its render asked for first', async () => {
    const dir = await siteOf(400);
    const listings: Snapshot[] = [];
    let loadEnded = 0;
    const loader = createContentLoader(dir, { renderThreads: 1, onListed: (listing) => listings.push(listing) });
    try {
      const loading = loader.load().finally(() => (loadEnded = performance.now()));
      while (listings.length === 0 && !loadEnded) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(listings).toHaveLength(1);
      const [listing] = listings;
      const listed = performance.now();
      expect(listing.published.pages).toHaveLength(401);
      // The last page in file order, asked for at once: rendered before the 400 others are.
      const last = listing.published.bySlug.get('page-99')!;
      expect(last.rendered).toBeTypeOf('function');
      const asked = await last.rendered!();
      const askedIn = performance.now() - listed;
      expect(loadEnded).toBe(0);
      // What only the render gives is not read before it: a title from the first heading, an excerpt.
      const untitled = listing.published.bySlug.get('untitled')!;
      expect(() => untitled.summary.title).toThrow(/before it was rendered/);
      expect(() => untitled.page).toThrow(/before it was rendered/);
      expect(untitled.summary.permalink).toBe('/untitled/');
      const loaded = await loading;
      expect(loaded.published.pages).toHaveLength(401);
      // In the first part of the render (without being asked for, it would have come near its end).
      expect(askedIn).toBeLessThan((loadEnded - listed) / 3);
      // The record a request got from the listing is the one the load serves: the same bytes, the same ETag.
      const served = loaded.published.bySlug.get('page-99')!;
      expect(asked).toBe(served);
      expect(served.summary.title).toBe('Page 99');
      expect((await untitled.rendered!())!.summary.title).toBe('Heading as title');
      // A listing's version is never the loaded version's: nothing made from it passes for it.
      expect(listing.version).not.toBe(loaded.version);
    } finally {
      await loader.close();
    }
  }, 120_000);

  it('gives no record for a listed page whose render fails, and the load leaves it out', async () => {
    const dir = await siteOf(40);
    // Within every cap, but seconds of parsing: only the deadline stops it (see render-pool.test.ts).
    const nested = Array.from({ length: 99 }, (_, level) => `${'  '.repeat(level)}- item`).join('\n');
    const spin = `---\ntitle: Spin\n---\n\n${Array.from({ length: 60 }, () => nested).join('\n\nText.\n\n')}\n`;
    await writeFile(path.join(dir, 'spin.md'), spin);
    await writeFile(path.join(dir, 'spin-too.md'), spin.replace('title: Spin', 'title: Spin too'));
    const listings: Snapshot[] = [];
    const loader = createContentLoader(dir, { renderTimeoutMs: 100, renderContention: () => 1, onListed: (listing) => listings.push(listing) });
    try {
      const loading = loader.load();
      while (listings.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const spinning = listings[0].published.bySlug.get('spin')!;
      expect(await spinning.rendered!()).toBeUndefined();
      const loaded = await loading;
      expect(loaded.published.bySlug.has('spin')).toBe(false);
      expect(loaded.published.pages).toHaveLength(41);
      // Asked for once the render is over (a request that came just before the version was served): answered, not left waiting.
      expect(await listings[0].published.bySlug.get('spin-too')!.rendered!()).toBeUndefined();
      expect(await listings[0].published.bySlug.get('page-3')!.rendered!()).toBe(loaded.published.bySlug.get('page-3'));
      expect(loaded.diagnostics.find((d) => d.file === 'spin.md')).toMatchObject({ code: 'render-timeout' });
    } finally {
      await loader.close();
    }
  }, 60_000);

  it('keeps what a first load rendered before a shutdown cut it short: the next start renders only the rest', async () => {
    const dir = await siteOf(400);
    const cacheDir = path.join(dir, '.cache');
    // Some pages rendered, not all (one thread renders 400 of them in a second or more).
    await cutShortFirstLoad(dir, cacheDir, { afterMs: 300 });
    const next = createContentLoader(dir, { cacheDir });
    try {
      const loaded = await next.load();
      expect(loaded.published.pages).toHaveLength(401);
      expect(loaded.rendered).toBeGreaterThan(0);
      expect(loaded.rendered).toBeLessThan(401);
    } finally {
      await next.close();
    }
  }, 60_000);

  it('serves, on the next start, the listing a shutdown saved before the first load ended: what was rendered as records, the rest listed and rendered by the load behind it', async () => {
    const dir = await siteOf(400);
    const cacheDir = path.join(dir, '.cache');
    // One page asked for: rendered (and so saved as a record) whatever the render's order.
    const first = await cutShortFirstLoad(dir, cacheDir, { afterMs: 300, before: (listing) => listing.published.bySlug.get('page-99')!.rendered!() });

    const next = createContentLoader(dir, { cacheDir });
    try {
      const resumed = (await next.resume())!;
      expect(resumed.listing).toBe(true);
      const { snapshot } = resumed;
      // The same listing: its pages, its own versions (never the loaded version's).
      expect(snapshot.published.pages.map((record) => record.summary.slug)).toEqual(first.published.pages.map((record) => record.summary.slug));
      expect([snapshot.version, snapshot.previewVersion]).toEqual([first.version, first.previewVersion]);
      const listed = snapshot.published.pages.filter((record) => record.rendered);
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.length).toBeLessThan(401);
      const rendered = snapshot.published.bySlug.get('page-99')!;
      expect(rendered.rendered).toBeUndefined();
      expect(rendered.summary.title).toBe('Page 99');
      // What only the render gives is not read before it; the front matter is at hand.
      const untitled = snapshot.published.bySlug.get('untitled')!;
      if (untitled.rendered) expect(() => untitled.summary.title).toThrow(/before it was rendered/);
      const waiting = listed.at(-1)!;
      expect(waiting.frontMatter.permalink).toBe(waiting.summary.permalink);
      // Asked for before the load behind it began: given once that load has rendered it.
      const asked = waiting.rendered!();
      const loaded = await next.load();
      expect(loaded.published.pages).toHaveLength(401);
      // Only the rest is rendered (fewer when a render the shutdown did not wait for was saved since).
      expect(loaded.rendered).toBeGreaterThan(0);
      expect(loaded.rendered).toBeLessThanOrEqual(listed.length);
      expect(await asked).toBe(loaded.published.bySlug.get(waiting.summary.slug));
      // The records it resumed are the load's own, and the rest as a load of the files gives them.
      expect(loaded.published.bySlug.get('page-99')).toBe(rendered);
      expect(loaded.published.bySlug.get('untitled')!.summary.title).toBe('Heading as title');
    } finally {
      await next.close();
    }
    // Once the load ended, the next start resumes its snapshot, not the listing.
    const third = createContentLoader(dir, { cacheDir });
    try {
      expect((await third.resume())?.listing).toBe(false);
    } finally {
      await third.close();
    }
  }, 60_000);

  it('serves a live edit from the listing while the load renders, and the load then takes it as it was rendered', async () => {
    const dir = await siteOf(400);
    const listings: Snapshot[] = [];
    let loadEnded = 0;
    const loader = createContentLoader(dir, { renderThreads: 1, onListed: (listing) => listings.push(listing) });
    const save = (file: string, edit: (text: string) => string) => saveAtomically(path.join(dir, file), edit);
    try {
      const loading = loader.load().finally(() => (loadEnded = performance.now()));
      while (listings.length === 0 && !loadEnded) await new Promise((resolve) => setTimeout(resolve, 5));
      const [listing] = listings;
      // Near the end in file order: without the edit, it would be rendered last.
      await save('page-98.md', (text) => text.replace('title: "Page 98"', 'title: "Page 98, edited"').replace(/\n$/, '\n\nA paragraph added by the edit.\n'));
      const edited = await loader.editListing(['page-98.md']);
      expect(loadEnded).toBe(0);
      const page = edited!.published.bySlug.get('page-98')!;
      expect(page.summary.title).toBe('Page 98, edited');
      expect(page.html.body.toString()).toContain('A paragraph added by the edit.');
      expect(edited!.published.pages).toHaveLength(401);
      // Its own versions, neither the listing's nor a loaded one's; the other pages as listed.
      expect(edited!.version).not.toBe(listing.version);
      expect(edited!.published.bySlug.get('page-97')).toBe(listing.published.bySlug.get('page-97'));

      // An edit that moves its page waits for the load (other pages link to where it was).
      await save('page-97.md', (text) => text.replace('permalink: /page-97/', 'permalink: /moved/'));
      expect(await loader.editListing(['page-97.md'])).toBeUndefined();
      // A second edit builds on the first.
      await save('page-96.md', (text) => text.replace('title: "Page 96"', 'title: "Page 96, edited"'));
      const again = (await loader.editListing(['page-96.md']))!;
      expect(again.published.bySlug.get('page-96')!.summary.title).toBe('Page 96, edited');
      expect(again.published.bySlug.get('page-98')!.summary.title).toBe('Page 98, edited');

      // The load read the files before the edits; the edits' own loads patch them in, rendering nothing again.
      await loading;
      const patched = await loader.load(['page-98.md', 'page-96.md']);
      expect(patched.published.bySlug.get('page-98')!.summary.title).toBe('Page 98, edited');
      expect(patched.published.bySlug.get('page-96')!.summary.title).toBe('Page 96, edited');
      expect(patched.rendered).toBe(0);
      // Once a version is loaded, edits are that version's to apply.
      expect(await loader.editListing(['page-98.md'])).toBeUndefined();
    } finally {
      await loader.close();
    }
  }, 120_000);

  it('lists nothing on a load that renders nothing, nor on the loads after the first', async () => {
    const dir = await siteOf(3);
    const cacheDir = path.join(dir, '.cache');
    const listings: Snapshot[] = [];
    const first = createContentLoader(dir, { cacheDir, onListed: (listing) => listings.push(listing) });
    try {
      await first.load();
      expect(listings).toHaveLength(1);
      await writeFile(path.join(dir, 'page-1.md'), '---\ntitle: Edited\n---\n\nEdited.\n');
      await first.load();
      expect(listings).toHaveLength(1);
    } finally {
      await first.close();
    }
    // A start whose every page comes from the render cache lists nothing first: it is loaded at once.
    const warm = createContentLoader(dir, { cacheDir, onListed: (listing) => listings.push(listing) });
    try {
      expect((await warm.load()).rendered).toBe(0);
      expect(listings).toHaveLength(1);
    } finally {
      await warm.close();
    }
  }, 60_000);
});
