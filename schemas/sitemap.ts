import { z } from 'zod';

export const SitemapXmlSchema = z.string().meta({
  id: 'SitemapXml',
  description:
    'A sitemaps.org urlset: one `url` element per published page (redirects and pages whose front matter says `sitemap: false` or `site-map: false` left out), ' +
    'with the absolute URL in `loc` and `lastmod` from `last_modified` (else `last_modified_at`, else the post date, else the file date).',
  example:
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
    '<url><loc>https://www.pyopensci.org/</loc><lastmod>2026-10-01T00:00:00.000Z</lastmod></url>\n</urlset>\n',
});

export const RobotsTxtSchema = z.string().meta({
  id: 'RobotsTxt',
  description: 'robots.txt: every crawler may crawl everything, and the sitemap is at /sitemap.xml.',
  example: 'User-agent: *\nAllow: /\n\nSitemap: https://www.pyopensci.org/sitemap.xml\n',
});
