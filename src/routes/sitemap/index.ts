import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { RobotsTxtSchema, SitemapXmlSchema } from '../../../schemas/sitemap.ts';
import { robotsTxt, sitemapXml } from '../../discovery/sitemap.ts';
import { siteBaseUrl } from '../../discovery/site-url.ts';
import { represent } from '../../http/representation.ts';

export interface SitemapRoutesOptions {
  /** SITE_URL: the public URL of the site, base of the absolute URLs. */
  siteUrl?: string;
}

const XML_MEDIA_TYPE = 'application/xml';
const TEXT_MEDIA_TYPE = 'text/plain';

/** /sitemap.xml and /robots.txt for search engines, from the pages listed when content loaded. */
const sitemap: FastifyPluginAsyncZod<SitemapRoutesOptions> = async (fastify, options) => {
  fastify.get('/sitemap.xml', {
    schema: {
      tags: ['navigation'],
      operationId: 'getSitemap',
      summary: 'The sitemap of the site (sitemaps.org XML)',
      description:
        'Every published page once, redirects and pages with `sitemap: false` (or `site-map: false`) left out, with absolute URLs ' +
        'under SITE_URL (else the Jekyll site\'s url and baseurl, else this host) and the date each last changed.',
      response: { 200: SitemapXmlSchema, 304: NotModifiedSchema },
    },
    config: { produces: [XML_MEDIA_TYPE] },
  }, async (request, reply) => {
    const view = fastify.content.viewFor(request);
    const base = siteBaseUrl(options.siteUrl, fastify.content.snapshot, request);
    return reply.represent(view.responses.get(`sitemap.xml:${base}`, () =>
      represent(sitemapXml(view.sitemap, base), `${XML_MEDIA_TYPE}; charset=utf-8`, view.modified)));
  });

  fastify.get('/robots.txt', {
    schema: {
      tags: ['navigation'],
      operationId: 'getRobotsTxt',
      summary: 'robots.txt, pointing crawlers to the sitemap',
      description: 'Lets every crawler crawl everything and names the sitemap\'s absolute URL (under the same base URL as the sitemap\'s pages).',
      response: { 200: RobotsTxtSchema, 304: NotModifiedSchema },
    },
    config: { produces: [TEXT_MEDIA_TYPE] },
  }, async (request, reply) => {
    const view = fastify.content.viewFor(request);
    const base = siteBaseUrl(options.siteUrl, fastify.content.snapshot, request);
    return reply.represent(view.responses.get(`robots.txt:${base}`, () =>
      represent(robotsTxt(base), `${TEXT_MEDIA_TYPE}; charset=utf-8`, view.modified)));
  });
};

export default sitemap;
