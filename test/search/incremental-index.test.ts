import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';
import { hasCloseIndex, indexOf, warmIndex } from '../../src/search/incremental-index.ts';
import { bundledContent } from '../helpers/app.ts';

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

const hits = (
  view: { search: { search: (request: { q: string; limit: number; offset: number }) => { items: { slug: string }[] } } },
  q: string,
) => view.search.search({ q, limit: 100, offset: 0 }).items.map((hit) => hit.slug);

describe('search indexes across content versions', () => {
  it('follow an edit: the new words are found, the old ones no longer, and no other page changes', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'search-reload-'));
    await cp(bundledContent, dir, { recursive: true });
    const loader = createContentLoader(dir);
    const before = await loader.load();
    expect(hits(before.published, 'volunteer')).toContain('contributors');

    const file = path.join(dir, 'resources.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('## ', '## Zanzibarian gazetteer\n\n## '));
    const after = await loader.load(['resources.md']);
    expect(hits(after.published, 'zanzibarian')).toEqual(['resources']);
    expect(hits(after.published, 'volunteer')).toEqual(hits(before.published, 'volunteer'));
    expect(after.published.faqSearch.rank('review').length).toBe(before.published.faqSearch.rank('review').length);
    // The previous version answers only with its own pages, never with a newer one's.
    expect(hits(before.published, 'zanzibarian')).not.toContain('index');
  });

  it('keep drafts out of the published index when a draft is edited', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'search-draft-'));
    await cp(bundledContent, dir, { recursive: true });
    const loader = createContentLoader(dir);
    await loader.load();
    const file = path.join(dir, 'roadmap-draft.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\nQuetzalcoatlus sightings.\n`);
    const snapshot = await loader.load(['roadmap-draft.md']);
    expect(hits(snapshot.published, 'quetzalcoatlus')).toEqual([]);
    expect(hits(snapshot.preview, 'quetzalcoatlus')).toEqual(['roadmap-draft']);
  });
});

describe('warmIndex', () => {
  const options = { idField: 'id', fields: ['text'], storeFields: [] };
  const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda omicron'.split(' ');
  const itemsOf = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ id: `item-${i}`, text: `${words.join(' ')} `.repeat(8) + `marker${i}` }));

  it('goes on from what it built when a newer version takes over a paused build, rather than starting over', async () => {
    let derived = 0;
    const documentsOf = (item: { id: string; text: string }) => {
      derived += 1;
      return [item];
    };
    const first = itemsOf(3000);
    let turns = 0;
    // The version the build was started for stops being served after a few turns.
    await warmIndex('warm-test', first, documentsOf, options, () => ++turns < 3);
    const builtBefore = derived;
    expect(builtBefore).toBeGreaterThan(0);
    expect(builtBefore).toBeLessThan(first.length);
    expect(hasCloseIndex('warm-test', first)).toBe(false);

    // The newer version: one item edited (a new object), one removed.
    const second = [{ id: 'item-0', text: 'zanzibarian' }, ...first.slice(1, -1)];
    await warmIndex('warm-test', second, documentsOf, options);
    expect(hasCloseIndex('warm-test', second)).toBe(true);
    // Each item of the newer version derived once, and the edited one's old version twice (indexed, then discarded).
    expect(derived).toBe(second.length + 2);
    const index = indexOf('warm-test', second, documentsOf, options);
    expect(index.search('zanzibarian').map((hit) => hit.id)).toEqual(['item-0']);
    expect(index.search('marker0')).toEqual([]);
    expect(index.search(`marker${first.length - 1}`)).toEqual([]);
    expect(index.search('marker1').map((hit) => hit.id)).toEqual(['item-1']);
    expect(index.documentCount).toBe(second.length);
  });

  it('makes an index of no items that counts as built (a view with nothing published waits for it)', async () => {
    await warmIndex('warm-empty', [], (item: { id: string; text: string }) => [item], options);
    expect(hasCloseIndex('warm-empty', [])).toBe(true);
    expect(indexOf('warm-empty', [], (item: { id: string; text: string }) => [item], options).documentCount).toBe(0);
  });
});

describe('a view waiting for its search index', () => {
  it('is not searchable before its index is built in turns, then is, without building it in one piece', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'search-turns-'));
    const paragraph = 'Peer review of scientific Python packages builds a community of maintainers. '.repeat(20);
    for (let i = 0; i < 400; i++)
      await writeFile(path.join(dir, `page-${i}.md`), `---\ntitle: Page ${i}\n---\n\n## Part ${i}\n\n${paragraph}\n\nquokka${i}\n`);
    const { published } = await createContentLoader(dir).load();
    let turns = 0;
    const counting = setInterval(() => (turns += 1), 0);
    try {
      expect(await published.searchable(0)).toBe(false);
      expect(await published.searchable(60_000)).toBe(true);
    } finally {
      clearInterval(counting);
    }
    // Other work got turns while it was built.
    expect(turns).toBeGreaterThan(1);
    expect(published.search.search({ q: 'quokka399', limit: 10, offset: 0 }).items.map((hit) => hit.slug)).toEqual(['page-399']);
  });

  it('with no published page (an empty folder, or only drafts) is searchable, finds nothing, and leaves the event loop free', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'search-empty-'));
    await writeFile(path.join(dir, 'draft.md'), '---\ntitle: Unfinished\npublished: false\n---\n\nQuokka notes.\n');
    const { published, preview } = await createContentLoader(dir).load();
    expect(published.pages).toEqual([]);
    expect(await published.searchable(5_000)).toBe(true);
    expect(published.search.search({ q: 'quokka', limit: 10, offset: 0 }).items).toEqual([]);
    // The draft is in the preview's index, never in the published one.
    expect(await preview.searchable(5_000)).toBe(true);
    expect(preview.search.search({ q: 'quokka', limit: 10, offset: 0 }).items.map((hit) => hit.slug)).toEqual(['draft']);
  });
});
