import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bodyOfSource, readEntry, type PageSource } from '../../src/content/entry.ts';
import { createContentLoader, loadContent, type ContentLoader } from '../../src/content/load.ts';
import { createRenderPool, WARM_UP_ROUNDS } from '../../src/content/render-pool.ts';
import { htmlBytesOf } from '../../src/content/rendered-page.ts';
import { siteRulesFrom } from '../../src/content/site-rules-loader.ts';
import { bundledContent } from '../helpers/app.ts';

describe('rendering in worker threads', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function siteWith(pages: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'pool-'));
    dirs.push(dir);
    await writeFile(path.join(dir, '_config.yml'), 'title: Pool test\n');
    for (const [file, text] of Object.entries(pages)) await writeFile(path.join(dir, file), text);
    return dir;
  }

  it('gives the same pages whatever the number of pages rendered at once', async () => {
    const whole = await loadContent(bundledContent);
    expect(whole.rendered).toBe(whole.pages.length);
    const loader = createContentLoader(bundledContent);
    await loader.load();
    // A live edit of one page renders it alone, in a worker too: its record is the same.
    const again = await loader.load(['index.md']);
    expect(again.version).toBe(whole.version);
    expect(again.published.bySlug.get('index')!.page).toEqual(whole.published.bySlug.get('index')!.page);
    await loader.close();
  }, 60_000);

  const until = async (condition: () => boolean) => {
    for (let waited = 0; !condition(); waited += 20) {
      if (waited > 20_000) throw new Error('condition not met within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** A live edit of a.md's body, as the watcher reports one: its load renders the page again. */
  const editBody = async (loader: ContentLoader, dir: string) => {
    loader.expectEdits();
    await writeFile(path.join(dir, 'a.md'), '---\ntitle: A\n---\n\nEdited text.\n');
    const edited = await loader.load(['a.md']);
    expect(edited.rendered).toBe(1);
    expect(edited.published.bySlug.get('a')!.page.html).toContain('Edited text.');
  };

  it('keeps no worker after a load until a live edit came, then keeps one warm for the next edits', async () => {
    const dir = await siteWith({ 'a.md': '---\ntitle: A\n---\n\nFirst text.\n', 'b.md': '---\ntitle: B\n---\n\nOther text.\n' });
    // Far longer than the test: a worker stopped here was stopped because no edit came, not for idling.
    const loader = createContentLoader(dir, { keepWorkerWarm: true, warmWorkerIdleMs: 600_000 });
    try {
      await loader.load();
      await until(() => loader.renderWorkers() === 0);
      // A whole load that no watcher asked for (a reload) keeps none either.
      await writeFile(path.join(dir, 'b.md'), '---\ntitle: B\n---\n\nReloaded text.\n');
      expect((await loader.load()).rendered).toBe(1);
      await until(() => loader.renderWorkers() === 0);
      await editBody(loader, dir);
      // A load after the edit (its warm-up settles 200 ms later) leaves the worker running.
      await writeFile(path.join(dir, 'c.md'), '---\ntitle: C\n---\n\nA new page.\n');
      expect((await loader.load(['c.md'])).published.bySlug.get('c')!.page.html).toContain('A new page.');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(loader.renderWorkers()).toBe(1);
    } finally {
      await loader.close();
    }
  }, 60_000);

  it('stops the worker kept warm for live edits after a while without one, and renders the next edit on a fresh one', async () => {
    const dir = await siteWith({ 'a.md': '---\ntitle: A\n---\n\nFirst text.\n', 'b.md': '---\ntitle: B\n---\n\nOther text.\n' });
    const loader = createContentLoader(dir, { keepWorkerWarm: true, warmWorkerIdleMs: 1500 });
    await loader.load();
    loader.expectEdits();
    await writeFile(path.join(dir, 'b.md'), '---\ntitle: B\n---\n\nEdited other text.\n');
    expect((await loader.load(['b.md'])).rendered).toBe(1);
    expect(loader.renderWorkers()).toBe(1);
    await until(() => loader.renderWorkers() === 0);
    // Idle that long, edits are not expected any more: the next one starts a worker again.
    await editBody(loader, dir);
    // Kept warm again for the next edit, until the next while without one.
    expect(loader.renderWorkers()).toBe(1);
    await until(() => loader.renderWorkers() === 0);
    await loader.close();
  }, 60_000);

  it('holds the warm-up of the worker kept for live edits while a load runs, and lets it go on once none has for a moment', async () => {
    const texts = { 'a.md': '---\ntitle: A\n---\n\nFirst *text*.\n', 'b.md': '---\ntitle: B\n---\n\n## Other\n\nText.\n' };
    const root = await siteWith(texts);
    const pool = createRenderPool({ root, timeoutMs: 10_000, keepWarm: 1, contention: () => 1 });
    try {
      const site = await pool.readSite();
      const rules = siteRulesFrom(site);
      const sample: PageSource[] = Object.entries(texts).map(([file, text]) => ({ entry: readEntry(rules, file, text, 0, 'rules').entry!, body: bodyOfSource(text) }));
      pool.expectEdits();
      pool.holdWarmUp();
      pool.warm({ site, siteKey: 'site', context: { pages: [], redirects: [], baseUrl: '', documents: [] } }, sample);
      // Time for a fresh worker to start and render the sample four times over, had it not been held.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(pool.workers()).toBe(1);
      expect(pool.warmUpsEnded()).toEqual([]);
      pool.releaseWarmUp();
      for (let waited = 0; pool.warmUpsEnded().length === 0; waited += 20) {
        if (waited > 20_000) throw new Error('the warm-up did not end within 20 s of the release');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(pool.warmUpsEnded()).toEqual([sample.length * WARM_UP_ROUNDS]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('stops its workers between two pages when closed, rather than terminating them in the middle of one', async () => {
    const texts = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`p${i}.md`, `---\ntitle: P${i}\n---\n\n## Part\n\nSome *text* for page ${i}.\n`]));
    const root = await siteWith(texts);
    // A worker that did not stop by itself would be terminated only after two minutes: past this test's time.
    const pool = createRenderPool({ root, timeoutMs: 10_000, contention: () => 1, stopWaitMs: 120_000 });
    const site = await pool.readSite();
    const rules = siteRulesFrom(site);
    const sources: PageSource[] = Object.entries(texts).map(([file, text]) => ({ entry: readEntry(rules, file, text, 0, 'rules').entry!, body: bodyOfSource(text) }));
    const rendering = pool.render({ site, siteKey: 'site', context: { pages: [], redirects: [], baseUrl: '', documents: [] } }, sources);
    rendering.catch(() => undefined);
    // Under way: the workers are started and rendering.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pool.close();
    expect(pool.workers()).toBe(0);
  }, 30_000);

  it('renders a page asked for alongside a whole render before the rest of its worker\'s batch, and none when no render is under way', async () => {
    const texts = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`p${i}.md`, `---\ntitle: P${i}\n---\n\n## Part\n\nSome *text* for page ${i}.\n`]));
    const root = await siteWith(texts);
    const pool = createRenderPool({ root, timeoutMs: 10_000, threads: 1 });
    try {
      const site = await pool.readSite();
      const rules = siteRulesFrom(site);
      const sourceOf = (file: string, text: string): PageSource => ({ entry: readEntry(rules, file, text, 0, 'rules').entry!, body: bodyOfSource(text) });
      const inputs = { site, siteKey: 'site', context: { pages: [], redirects: [], baseUrl: '', documents: [] } };
      const edit = sourceOf('p599.md', '---\ntitle: P599\n---\n\nEdited *text*.\n');
      expect(pool.renderAlongside(inputs, [edit])).toBeUndefined();
      let settled = 0;
      const rendering = pool.render(inputs, Object.entries(texts).map(([file, text]) => sourceOf(file, text)), { settled: () => (settled += 1) });
      // Under way: its first pages are rendered.
      while (settled === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const asked = settled;
      const [outcome] = (await pool.renderAlongside(inputs, [edit]))!;
      // The worker handed the rest of its batch back at its next page: the page under way, and
      // one whose answer was on its way, at most, came first.
      expect(settled - asked).toBeLessThanOrEqual(2);
      expect(settled).toBeLessThan(600);
      expect(outcome).toMatchObject({ ok: true });
      expect(outcome!.ok && htmlBytesOf(outcome!.rendered).toString()).toContain('Edited <em>text</em>.');
      const outcomes = await rendering;
      expect(outcomes.every((whole) => whole.ok)).toBe(true);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('has a render under way give way between two pages for a live edit, until its time is up or the edit needs a render', async () => {
    // Seconds of rendering on one worker, far more than the test lasts.
    const body = (i: number) => Array.from({ length: 12 }, (_, part) => `## Part ${part}\n\nSome *text* for page ${i}, with [a link](https://example.org/${part}).\n`).join('\n');
    const texts = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}.md`, `---\ntitle: P${i}\n---\n\n${body(i)}`]));
    const root = await siteWith(texts);
    const pool = createRenderPool({ root, timeoutMs: 10_000, threads: 1 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const site = await pool.readSite();
      const rules = siteRulesFrom(site);
      const sourceOf = (file: string, text: string): PageSource => ({ entry: readEntry(rules, file, text, 0, 'rules').entry!, body: bodyOfSource(text) });
      const inputs = { site, siteKey: 'site', context: { pages: [], redirects: [], baseUrl: '', documents: [] } };
      let settled = 0;
      const rendering = pool.render(inputs, Object.entries(texts).map(([file, text]) => sourceOf(file, text)), { settled: () => (settled += 1) });
      while (settled === 0) await sleep(5);
      pool.giveWay(1500);
      // The page under way, and one whose answer was on its way, at most.
      await sleep(300);
      const waiting = settled;
      // Asked again meanwhile: not extended.
      pool.giveWay(1500);
      await sleep(700);
      expect(settled - waiting).toBe(0);
      // Its time up, the render goes on; and no wait begins again until as long has passed.
      await sleep(1000);
      const going = settled;
      expect(going).toBeGreaterThan(waiting);
      pool.giveWay(1500);
      await sleep(300);
      expect(settled).toBeGreaterThan(going);

      // An edit that needs a render ends a wait at once.
      await sleep(1500);
      pool.giveWay(60_000);
      await sleep(200);
      const paused = settled;
      await sleep(300);
      expect(settled).toBe(paused);
      const asked = performance.now();
      const [outcome] = (await pool.renderAlongside(inputs, [sourceOf('p1.md', '---\ntitle: P1\n---\n\nEdited.\n')]))!;
      expect(outcome).toMatchObject({ ok: true });
      expect(performance.now() - asked).toBeLessThan(10_000);
      expect(settled).toBeLessThan(3000);
      rendering.catch(() => undefined);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('gives way for at most a quarter of the shortest deadline, so no page is stopped for a wait', async () => {
    const texts = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}.md`, `---\ntitle: P${i}\n---\n\nSome *text* for page ${i}.\n`]));
    const root = await siteWith(texts);
    // The shortest deadline RENDER_TIMEOUT_MS allows, and an edit asking for a longer wait than it.
    const pool = createRenderPool({ root, timeoutMs: 100, contention: () => 1, threads: 1 });
    try {
      const site = await pool.readSite();
      const rules = siteRulesFrom(site);
      const sources: PageSource[] = Object.entries(texts).map(([file, text]) => ({ entry: readEntry(rules, file, text, 0, 'rules').entry!, body: bodyOfSource(text) }));
      let settled = 0;
      const rendering = pool.render({ site, siteKey: 'site', context: { pages: [], redirects: [], baseUrl: '', documents: [] } }, sources, { settled: () => (settled += 1) });
      while (settled === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(pool.giveWay(150)).toBe(25);
      // Saves in a stream: each wait the rest allows is as short.
      const waits: number[] = [];
      const asking = setInterval(() => waits.push(pool.giveWay(150)), 5);
      const outcomes = await rendering.finally(() => clearInterval(asking));
      expect(Math.max(...waits)).toBeLessThanOrEqual(25);
      expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('stops a page that overruns the deadline, reports render-timeout at its body, and serves every other page', async () => {
    // Within every cap (99 levels of nesting, under 1 MB), but seconds of parsing: only the deadline stops it.
    const nested = Array.from({ length: 99 }, (_, level) => `${'  '.repeat(level)}- item`).join('\n');
    const dir = await siteWith({
      'spin.md': `---\ntitle: Spin\n---\n\n${Array.from({ length: 60 }, () => nested).join('\n\nText.\n\n')}\n`,
      'fine.md': '---\ntitle: Fine\n---\n\nFine body.\n',
      'also-fine.md': '---\ntitle: Also fine\n---\n\nAnother body.\n',
    });
    // Deadlines as on an idle machine: a busy one would stretch them, and the page might finish.
    // 100 ms a 256 KB: spin.md (610 KB) gets 300 ms, and 600 ms when tried again, for 1.3-2.5 s of
    // parsing as fast as this host has run; at 300 ms, its retry's 1.8 s was within reach.
    const loader = createContentLoader(dir, { renderTimeoutMs: 100, renderContention: () => 1 });
    const snapshot = await loader.load();
    expect(snapshot.published.pages.map((record) => record.summary.slug).sort()).toEqual(['also-fine', 'fine']);
    const problem = snapshot.diagnostics.find((d) => d.file === 'spin.md');
    expect(problem).toMatchObject({ code: 'render-timeout', severity: 'error', line: 4 });

    // Remembered by content: an unchanged failing file is not rendered again on the next load.
    const next = await loader.load(['spin.md', 'fine.md']);
    expect(next.rendered).toBe(0);
    expect(next.diagnostics).toEqual(snapshot.diagnostics);
    await loader.close();
  }, 60_000);
});
