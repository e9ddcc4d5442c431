import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { runAtOnce } from '../../src/content/steps.ts';
import { escapeXml, robotsTxt, sitemapEntriesSteps, sitemapXmlText } from '../../src/discovery/sitemap.ts';
import { pyopensciCorpus } from '../helpers/app.ts';

describe('sitemap XML', () => {
  it('escapes URLs and drops characters XML cannot hold, so the document is always well-formed', () => {
    const xml = [
      ...sitemapXmlText(
        [
          { permalink: "/q&a/it's <new>/", lastmod: '2026-01-01T00:00:00Z' },
          { permalink: '/café/\u0001x/', lastmod: '2026-01-02T00:00:00Z' },
          { permalink: '/already%20encoded/', lastmod: '2026-01-03T00:00:00Z' },
        ],
        'https://example.org/docs',
      ),
    ].join('');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<loc>https://example.org/docs/q&amp;a/it&apos;s%20%3Cnew%3E/</loc>');
    expect(xml).toContain('<loc>https://example.org/docs/caf%C3%A9/%01x/</loc>');
    expect(xml).toContain('<loc>https://example.org/docs/already%20encoded/</loc>');
    expect(escapeXml('a\u0000b<')).toBe('ab&lt;');
  });

  it('robots.txt lets crawlers in and names the sitemap', () => {
    expect(robotsTxt('https://example.org')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n');
  });

  it('lists every page that may be listed, by permalink, over many steps', async () => {
    const { published } = await loadContent(pyopensciCorpus);
    // The corpus twelve times over: more pages than one step looks at.
    const pages = Array.from({ length: 12 }, () => published.pages).flat();
    const steps = sitemapEntriesSteps(pages);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses += 1;
    expect(pauses).toBeGreaterThan(1);
    const listed = pages.filter((record) => record.frontMatter.sitemap !== false && record.frontMatter['site-map'] !== false);
    expect(step.value).toHaveLength(listed.length);
    expect(step.value.map((entry) => entry.permalink)).toEqual(listed.map((record) => record.summary.permalink).sort());
    expect(runAtOnce(sitemapEntriesSteps(pages))).toEqual(step.value);
  });
});
