import { describe, expect, it, vi } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { createPageSearch } from '../../src/search/page-search.ts';
import { MAX_QUERY_TERMS, queryTerms, rankRelaxed } from '../../src/search/relaxed-search.ts';
import { buildSiteIndex } from '../../src/search/site-index.ts';
import { bundledContent } from '../helpers/app.ts';

describe('bounded search work', async () => {
  const snapshot = await loadContent(bundledContent);

  it('ranks once per (words, filters): other pages, other spellings and repeats rank nothing again', () => {
    const site = buildSiteIndex(snapshot.published.pages, 'search-budget-test');
    const ranked = vi.spyOn(site.index, 'scoring');
    const search = createPageSearch(site);
    const first = search.search({ q: 'peer review', limit: 1, offset: 0 });
    const calls = ranked.mock.calls.length;
    expect(calls).toBeGreaterThan(0);
    const second = search.search({ q: 'Peer  REVIEW!', limit: 1, offset: 1 });
    search.search({ q: 'peer review', limit: 10, offset: 0 });
    expect(ranked.mock.calls.length).toBe(calls);
    expect(second.total).toBe(first.total);
  });

  it('searches each word in the index once, whatever query and filters it comes in', () => {
    const site = buildSiteIndex(snapshot.published.pages, 'search-budget-test-words');
    const searched = vi.spyOn(site.index, 'scoring');
    const search = createPageSearch(site);
    const all = search.search({ q: 'peer review', limit: 100, offset: 0 });
    expect(searched).toHaveBeenCalledTimes(2);
    expect(all.total).toBeGreaterThan(0);
    // Nothing passes the filter, so the words are searched again with typo tolerance: two new searches.
    expect(search.search({ q: 'peer review', limit: 100, offset: 0, layout: 'no-such-layout' }).total).toBe(0);
    expect(searched).toHaveBeenCalledTimes(4);
    expect(search.search({ q: 'review peer', limit: 100, offset: 0, category: 'no-such-category' }).total).toBe(0);
    expect(searched).toHaveBeenCalledTimes(4);
    search.search({ q: 'review python', limit: 10, offset: 0 });
    expect(searched).toHaveBeenCalledTimes(5);
  });

  it(`searches at most ${MAX_QUERY_TERMS} words`, () => {
    expect(queryTerms(Array.from({ length: 30 }, (_, i) => `word${i}`).join(' '))).toHaveLength(MAX_QUERY_TERMS);
  });

  it('answers with what it has, flagged partial, once its time budget is spent: the words ranked so far', () => {
    const site = buildSiteIndex(snapshot.published.pages, 'search-budget-test-2');
    const spent = rankRelaxed(site.index, 'peer review python', {}, 0);
    expect(spent.partial).toBe(true);
    // The first word is always ranked, to its end.
    expect(spent.results.map((result) => result.id)).toEqual(rankRelaxed(site.index, 'peer').results.map((result) => result.id));
    const unbounded = rankRelaxed(site.index, 'peer review python');
    expect(unbounded.partial).toBe(false);
    expect(unbounded.results.length).toBeGreaterThan(0);
  });

  it('goes further each time a query whose budget ran out is asked again, to the whole ranking', () => {
    const site = buildSiteIndex(snapshot.published.pages, 'search-budget-test-3');
    const search = createPageSearch(site);
    const request = { q: 'peer review python', limit: 100, offset: 0 };
    const answers = [1, 2, 3].map(() => search.search(request, { budgetMs: 0 }));
    expect(answers.map((answer) => answer.partial)).toEqual([true, true, false]);
    // Each word narrows the pages found; the last answer is the whole ranking, and is kept.
    expect(answers[0].total).toBeGreaterThanOrEqual(answers[2].total);
    expect(answers[2]).toEqual(createPageSearch(buildSiteIndex(snapshot.published.pages, 'search-budget-test-4')).search(request));
    expect(search.search(request, { budgetMs: 0 })).toEqual(answers[2]);
  });
});
