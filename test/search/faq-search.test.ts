import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { FaqSearch } from '../../src/model/search.ts';
import { createRankingQueue } from '../../src/search/ranking-queue.ts';
import { fixture } from '../helpers/app.ts';

let faq: FaqSearch;
beforeAll(async () => {
  faq = (await loadContent(fixture('faq-ranking'))).published.faqSearch;
});

const ids = (q: string) => faq.rank(q).map((entry) => entry.id);

describe('FAQ relevance', () => {
  it('ranks entries whose question matches above those where only the answer does', () => {
    const ranked = ids('review');
    expect(ranked[0]).toBe('how-long-does-a-review-take');
    expect(ranked.slice(1).sort()).toEqual(['are-there-any-fees', 'what-is-in-scope']);
  });

  it('tolerates a typo and matches word beginnings', () => {
    expect(ids('reviw')[0]).toBe('how-long-does-a-review-take');
    expect(ids('fee')).toEqual(['are-there-any-fees']);
  });

  it('finds nothing for words that are nowhere', () => {
    expect(ids('zzqxjv')).toEqual([]);
  });

  it('ranks in the ranking queue as it ranks at once', async () => {
    const queue = createRankingQueue({ msPerSecond: Infinity });
    for (const q of ['review', 'reviw', 'fee', 'review fees scope']) expect(await faq.rankInTurns(q, queue)).toEqual(faq.rank(q));
  });
});
