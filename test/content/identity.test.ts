import { describe, expect, it } from 'vitest';
import type { PageEntry } from '../../src/content/entry.ts';
import { collectRedirects, rejectDuplicates } from '../../src/content/identity.ts';
import { createTimeSlicer } from '../../src/content/time-slice.ts';
import type { ContentProblem } from '../../src/model/problem.ts';

const at = { line: 2, column: 1 };
/** An entry with what identities are settled from: file, slug, permalink, publication and redirects. */
const entryOf = (file: string, permalink: string, more: { published?: boolean; redirectFrom?: string[] } = {}) =>
  ({
    file,
    slug: file.replace(/\.md$/, ''),
    permalink,
    published: more.published ?? true,
    redirectTo: null,
    positions: { slug: at, permalink: at, redirect_from: at },
    frontMatter: more.redirectFrom ? { redirect_from: more.redirectFrom } : {},
  }) as unknown as PageEntry;

describe('rejectDuplicates and collectRedirects', () => {
  it('leave out the second page at a permalink, and a redirect from where a page is served', async () => {
    const reported: [string, ContentProblem[]][] = [];
    const report = (file: string, problems: ContentProblem[]) => void reported.push([file, problems]);
    const slice = createTimeSlicer(0);
    const pages = [entryOf('a.md', '/about/'), entryOf('b.md', '/about.html'), entryOf('c.md', '/contact/', { redirectFrom: ['/about/', '/reach-us/'] })];
    const accepted = await rejectDuplicates(pages, report, slice);
    expect(accepted.map((entry) => entry.file)).toEqual(['a.md', 'c.md']);
    const redirects = await collectRedirects(accepted, [], report, slice);
    expect([...redirects]).toEqual([['/reach-us', '/contact/']]);
    expect(reported.map(([file, problems]) => [file, problems[0].code])).toEqual([
      ['b.md', 'duplicate-permalink'],
      ['c.md', 'redirect-shadows-page'],
    ]);
  });

  it('give requests turns while they go through a site of thousands of pages', async () => {
    const pages = Array.from({ length: 20_000 }, (_, i) => entryOf(`page-${i}.md`, `/page-${i}/`, { redirectFrom: [`/old-${i}/`] }));
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const slice = createTimeSlicer(0);
    const accepted = await rejectDuplicates(pages, () => undefined, slice);
    const turnsWhileRejecting = turns;
    const redirects = await collectRedirects(accepted, [], () => undefined, slice);
    clearInterval(ticking);
    expect(redirects.size).toBe(20_000);
    expect(turnsWhileRejecting).toBeGreaterThan(2);
    expect(turns - turnsWhileRejecting).toBeGreaterThan(2);
  });
});
