import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, robotsTxt, sitemapXml } from '../../src/discovery/sitemap.ts';

describe('sitemap XML', () => {
  it('escapes URLs and drops characters XML cannot hold, so the document is always well-formed', () => {
    const xml = sitemapXml(
      [
        { permalink: "/q&a/it's <new>/", lastmod: '2026-01-01T00:00:00Z' },
        { permalink: '/café/\u0001x/', lastmod: '2026-01-02T00:00:00Z' },
        { permalink: '/already%20encoded/', lastmod: '2026-01-03T00:00:00Z' },
      ],
      'https://example.org/docs',
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<loc>https://example.org/docs/q&amp;a/it&apos;s%20%3Cnew%3E/</loc>');
    expect(xml).toContain('<loc>https://example.org/docs/caf%C3%A9/%01x/</loc>');
    expect(xml).toContain('<loc>https://example.org/docs/already%20encoded/</loc>');
    expect(escapeXml('a\u0000b<')).toBe('ab&lt;');
  });

  it('robots.txt lets crawlers in and names the sitemap', () => {
    expect(robotsTxt('https://example.org')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n');
  });
});
