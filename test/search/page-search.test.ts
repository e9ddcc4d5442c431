import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { searchEntriesOf, searchTextOf } from '../../src/search/documents.ts';
import { bundledContent, pyopensciCorpus } from '../helpers/app.ts';

const slugsFor = (snapshot: Snapshot, q: string, view: 'published' | 'preview' = 'published') =>
  snapshot[view].search.search({ q, limit: 100, offset: 0 }).items.map((hit) => hit.slug);

describe('page search over the pyOpenSci site', () => {
  let corpus: Snapshot;
  beforeAll(async () => {
    corpus = await loadContent(pyopensciCorpus);
  });

  it.each([
    ['movingpandas', 'movingpandas-movement-data-analysis'],
    ['sleplet', 'sleplet-slepian-wavelets'],
    ['crowsetta', 'pycon2023-peer-review-david-nicholson-crowsetta'],
    ['pandera', 'pandera-dataframe-validation'],
  ])('finds the page of the package %s', (q, slug) => {
    expect(slugsFor(corpus, q)).toContain(slug);
    expect(slugsFor(corpus, q).indexOf(slug)).toBeLessThan(3);
  });

  it.each([
    ['movngpandas', 'movingpandas-movement-data-analysis'],
    ['slepelt', 'sleplet-slepian-wavelets'],
    ['crowseta', 'pycon2023-peer-review-david-nicholson-crowsetta'],
  ])('still finds it misspelt (%s)', (q, slug) => {
    expect(slugsFor(corpus, q).slice(0, 3)).toContain(slug);
  });

  it("shows a section hit's own words, read from its page's body: the documents a view keeps hold no texts", () => {
    const { items } = corpus.published.search.search({ q: 'peer review', limit: 100, offset: 0 });
    const hit = items.find((item) => item.section !== null)!;
    const record = corpus.published.bySlug.get(hit.slug)!;
    const entry = searchEntriesOf(record).find((candidate) => candidate.section === hit.section!.id)!;
    expect(entry).not.toHaveProperty('text');
    const text = searchTextOf(record, entry);
    expect(text).toBe(record.section(hit.section!.id)!.text);
    const words = hit.snippet.replace(/<\/?mark>/g, '').replace(/^…\s*|\s*…$/g, '');
    expect(text.replace(/\s+/g, ' ')).toContain(words.slice(0, 40));
  });

  it('finds each page once, at its best section, with a deep link and a highlighted snippet', () => {
    const { items, total } = corpus.published.search.search({ q: 'peer review', limit: 100, offset: 0 });
    expect(total).toBe(items.length);
    expect(new Set(items.map((hit) => hit.slug)).size).toBe(items.length);
    const sectioned = items.filter((hit) => hit.section !== null);
    expect(sectioned.length).toBeGreaterThan(0);
    for (const hit of sectioned) expect(hit.url).toBe(`${hit.permalink}#${hit.section!.id}`);
    expect(items.some((hit) => hit.snippet.includes('<mark>'))).toBe(true);
    expect(items.map((hit) => hit.slug)).toContain('about-peer-review');
    expect(items.map((hit) => hit.score)).toEqual([...items.map((hit) => hit.score)].sort((a, b) => b - a));
  });

  it('filters by type, layout and category', () => {
    const posts = corpus.published.search.search({ q: 'python', type: 'posts', limit: 100, offset: 0 }).items;
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((hit) => hit.type === 'posts')).toBe(true);
    const splash = corpus.published.search.search({ q: 'python', layout: 'splash', limit: 100, offset: 0 }).items;
    expect(splash.length).toBeGreaterThan(0);
    expect(splash.every((hit) => hit.layout === 'splash')).toBe(true);
    const category = corpus.published.pages.flatMap((record) => record.summary.categories)[0];
    const inCategory = corpus.published.search.search({ q: 'python', category, limit: 100, offset: 0 }).items;
    expect(inCategory.every((hit) => hit.categories.includes(category))).toBe(true);
  });
});

describe('page search and drafts', () => {
  it('never finds a draft in the published view; the preview view does', async () => {
    const snapshot = await loadContent(bundledContent);
    expect(slugsFor(snapshot, 'DRAFT-ROADMAP-7f3a')).toEqual([]);
    expect(slugsFor(snapshot, 'roadmap')).not.toContain('roadmap-draft');
    expect(slugsFor(snapshot, 'roadmap', 'preview')).toContain('roadmap-draft');
  });
});
