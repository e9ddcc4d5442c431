import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { createPageListing } from '../../src/discovery/page-listing.ts';
import type { PageListRequest } from '../../src/model/listing.ts';
import { pyopensciCorpus } from '../helpers/app.ts';

describe('page listing in turns', async () => {
  const { published } = await loadContent(pyopensciCorpus);
  // The corpus thirty times over: enough pages for lists sorted and filtered over many steps.
  const pages = Array.from({ length: 30 }, () => published.pages).flat();

  it('answers every request as the listing at once does: orders, filters, where, paging and cursors', async () => {
    const requests: PageListRequest[] = [
      { sort: 'slug', limit: 20, offset: 0 },
      { sort: 'title', order: 'desc', limit: 7, offset: 3 },
      { sort: 'date', limit: 100, offset: 0, type: 'posts' },
      { sort: 'last_modified', order: 'asc', limit: 5, offset: 0, where: ['front_matter.layout:exists:true'] },
      { sort: 'date', limit: 10, offset: 0, since: '2023-01-01', until: '2024-12-31' },
      { sort: 'slug', limit: 10, offset: 0, path: '/blog/' },
    ];
    expect(pages.length).toBeGreaterThan(2500);
    for (const request of requests) {
      const atOnce = createPageListing(pages).list(request);
      const inTurns = createPageListing(pages);
      const answer = await inTurns.listInTurns(request);
      expect(answer).toEqual(atOnce);
      if (atOnce.nextCursor) {
        const next = { ...request, cursor: atOnce.nextCursor };
        expect(await inTurns.listInTurns(next)).toEqual(createPageListing(pages).list(next));
      }
    }
  });

  it('sorts an order once however many ask for it at once', async () => {
    const listing = createPageListing(pages);
    const request: PageListRequest = { sort: 'title', limit: 10, offset: 0 };
    const answers = await Promise.all([listing.listInTurns(request), listing.listInTurns({ ...request, offset: 10 })]);
    expect(answers[0].items[0]).toBe(listing.list(request).items[0]);
    expect(answers[1].items[0]).toBe(listing.list({ ...request, offset: 10 }).items[0]);
    expect(answers[0].total).toBe(pages.length);
  });
});
