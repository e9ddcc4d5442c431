import { describe, expect, it } from 'vitest';
import { buildView, buildViewInSlices } from '../../src/content/view.ts';
import { createTimeSlicer } from '../../src/content/time-slice.ts';
import type { PageRecord } from '../../src/model/page-record.ts';

/** Records with what a view reads of them at once (slug, permalink, when they changed); the rest is read on first use. */
const recordsOf = (slugs: string[]) =>
  slugs.map((slug) => ({ summary: { slug, permalink: `/${slug}.html` }, modified: new Date(Date.UTC(2026, 0, 1)) }) as PageRecord);

describe('buildViewInSlices', () => {
  it('orders and looks up pages as the view built at once does', async () => {
    const records = recordsOf(['zeta', 'alpha', 'Mu', 'beta']);
    const atOnce = buildView(records, new Map(), 'published');
    const inSlices = await buildViewInSlices(records, new Map(), 'published', createTimeSlicer(0));
    expect(inSlices.pages.map((record) => record.summary.slug)).toEqual(atOnce.pages.map((record) => record.summary.slug));
    expect([...inSlices.bySlug.keys()]).toEqual([...atOnce.bySlug.keys()]);
    // A permalink is looked up by its key: `/alpha.html` and `/alpha` are the same page.
    expect(inSlices.byPermalink.get('/alpha')).toBe(records[1]);
    expect([...inSlices.byPermalink.keys()]).toEqual([...atOnce.byPermalink.keys()]);
  });

  it('gives requests turns while it builds the lookups of thousands of pages', async () => {
    const records = recordsOf(Array.from({ length: 20_000 }, (_, i) => `page-${i}`));
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const view = await buildViewInSlices(records, new Map(), 'published', createTimeSlicer(0));
    clearInterval(ticking);
    expect(view.bySlug.size).toBe(20_000);
    expect(turns).toBeGreaterThan(2);
  });
});
