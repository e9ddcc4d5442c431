import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';
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
