import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { appFor, bundledContent, fixture, pyopensciCorpus } from '../helpers/app.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';

/** A plain folder of pages (no _config.yml, so no `url`): only SITE_URL would give it absolute URLs. */
let withoutUrl: FastifyInstance;
let corpus: FastifyInstance;
/** The bundled content, its `url` overridden by SITE_URL. */
let withSiteUrl: FastifyInstance;
beforeAll(async () => {
  [withoutUrl, corpus, withSiteUrl] = await Promise.all([
    appFor(fixture('faq-ranking')),
    appFor(pyopensciCorpus),
    buildApp({ contentDir: bundledContent, siteUrl: 'https://docs.example.org/guide/' }).then(checkedAgainstContract),
  ]);
});
afterAll(() => Promise.all([withoutUrl.close(), corpus.close(), withSiteUrl.close()]));

const locations = (xml: string): { loc: string; lastmod: string }[] => [].concat(new XMLParser().parse(xml).urlset.url ?? []);

describe('GET /sitemap.xml', () => {
  it('lists every published non-redirect page of the pyOpenSci site exactly once, as valid XML with absolute URLs', async () => {
    const response = await corpus.inject('/sitemap.xml');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);
    expect(response.body).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const urls = locations(response.body);
    const pages = (await corpus.inject('/v1/pages?limit=100&fields=permalink')).json();
    expect(pages.total).toBe(92);
    expect(urls.map((url) => url.loc).sort()).toEqual(
      pages.items.map((page: { permalink: string }) => `https://www.pyopensci.org${page.permalink}`).sort(),
    );
    for (const url of urls) expect(url.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // Redirect stubs and redirect_from paths are not pages.
    expect((await corpus.inject('/v1/resolve?path=/get-started/about-pyopensci')).json()).toMatchObject({ kind: 'redirect' });
    expect(urls.map((url) => url.loc).some((loc) => loc.includes('/get-started/'))).toBe(false);
  });

  it('takes lastmod from last_modified, and leaves out pages with sitemap: false or site-map: false and drafts', async () => {
    const urls = locations((await withSiteUrl.inject('/sitemap.xml')).body);
    expect(urls.find((url) => url.loc.endsWith('/contributors.html'))?.lastmod).toBe('2026-10-01T00:00:00Z');
    expect(urls.map((url) => url.loc)).not.toContain('https://docs.example.org/guide/roadmap/');
    expect(urls).toHaveLength(6);
  });

  it('builds URLs from SITE_URL when it is set', async () => {
    const urls = locations((await withSiteUrl.inject('/sitemap.xml')).body).map((url) => url.loc);
    expect(urls).toContain('https://docs.example.org/guide/python-packages.html');
    expect((await withSiteUrl.inject('/robots.txt')).body).toContain('Sitemap: https://docs.example.org/guide/sitemap.xml');
  });

  it("answers 404 problem+json saying to set SITE_URL when neither it nor the site's url is known (never the Host header)", async () => {
    const response = await withoutUrl.inject({ url: '/sitemap.xml', headers: { host: 'evil.example' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json().detail).toContain('set SITE_URL');
    expect(response.body).not.toContain('evil');
  });

  it('never writes the Host header into its URLs', async () => {
    for (const host of ['evil"><x>', 'evil.example']) {
      const response = await withSiteUrl.inject({ url: '/sitemap.xml', headers: { host } });
      expect(XMLValidator.validate(response.body)).toBe(true);
      expect(response.body).not.toContain('evil');
      expect((await withSiteUrl.inject({ url: '/robots.txt', headers: { host } })).body).not.toContain('evil');
    }
  });
});

describe('GET /robots.txt', () => {
  it('points crawlers to the absolute sitemap URL', async () => {
    const response = await corpus.inject('/robots.txt');
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe('User-agent: *\nAllow: /\n\nSitemap: https://www.pyopensci.org/sitemap.xml\n');
  });

  it("names no sitemap when the site's public URL is unknown", async () => {
    const response = await withoutUrl.inject({ url: '/robots.txt', headers: { host: 'evil.example' } });
    expect(response.body).toBe('User-agent: *\nAllow: /\n');
  });
});
