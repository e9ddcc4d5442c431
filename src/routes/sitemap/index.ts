import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { RobotsTxtSchema, SitemapXmlSchema } from '../../../schemas/sitemap.ts';
import { robotsTxt, sitemapEntriesSteps, sitemapXmlText } from '../../discovery/sitemap.ts';
import { SITE_URL_MISSING, siteBaseUrl } from '../../discovery/site-url.ts';
import { HttpProblem } from '../../http/problem.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { represent, representInSteps } from '../../http/representation.ts';
import { runInTurns } from '../../content/steps.ts';

export interface SitemapRoutesOptions {
  /** SITE_URL: the public URL of the site, base of the absolute URLs. */
  siteUrl?: string;
}

const XML_MEDIA_TYPE = 'application/xml';
const TEXT_MEDIA_TYPE = 'text/plain';

/** /sitemap.xml and /robots.txt for search engines, from the pages listed when content loaded. */
const sitemap: FastifyPluginAsyncZod<SitemapRoutesOptions> = async (fastify, options) => {
  // Said once the content is loaded: the site's own `url` (in _config.yml) counts too.
  void fastify.content.loaded.then(() => {
    if (siteBaseUrl(options.siteUrl, fastify.content.snapshot) === undefined) {
      fastify.log.warn(`${SITE_URL_MISSING} Until then /sitemap.xml answers 404 and robots.txt names no sitemap.`);
    }
  });
  fastify.get(
    '/sitemap.xml',
    {
      schema: {
        tags: ['navigation'],
        operationId: 'getSitemap',
        querystring: NoQuerySchema,
        summary: 'The sitemap of the site (sitemaps.org XML)',
        description:
          'Every published page once, redirects and pages with `sitemap: false` (or `site-map: false`) left out, with absolute URLs ' +
          "under SITE_URL (else the Jekyll site's url and baseurl) and the date each last changed. Without either, 404: the request's " +
          'Host header is never used for URLs.',
        response: { 200: SitemapXmlSchema, 304: NotModifiedSchema, 404: ProblemSchema },
      },
      config: { produces: [XML_MEDIA_TYPE] },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      const base = siteBaseUrl(options.siteUrl, fastify.content.snapshot);
      if (base === undefined) throw new HttpProblem(404, `No sitemap. ${SITE_URL_MISSING}`);
      // Once per content version, a few milliseconds at a time (10,000 URLs are about 1 MB).
      function* sitemapSteps(siteBase: string) {
        const entries = yield* sitemapEntriesSteps(view.pages);
        return yield* representInSteps(sitemapXmlText(entries, siteBase), `${XML_MEDIA_TYPE}; charset=utf-8`, view.modified);
      }
      return reply.represent(await view.responses.getInTurns('sitemap.xml', () => runInTurns(sitemapSteps(base))));
    },
  );

  fastify.get(
    '/robots.txt',
    {
      schema: {
        tags: ['navigation'],
        operationId: 'getRobotsTxt',
        querystring: NoQuerySchema,
        summary: 'robots.txt, pointing crawlers to the sitemap',
        description:
          "Lets every crawler crawl everything and names the sitemap's absolute URL (under the same base URL as the sitemap's pages); " +
          "without SITE_URL or the site's url, names none.",
        response: { 200: RobotsTxtSchema, 304: NotModifiedSchema },
      },
      config: { produces: [TEXT_MEDIA_TYPE] },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      const base = siteBaseUrl(options.siteUrl, fastify.content.snapshot);
      return reply.represent(
        view.responses.get('robots.txt', () => represent(robotsTxt(base), `${TEXT_MEDIA_TYPE}; charset=utf-8`, view.modified)),
      );
    },
  );
};

export default sitemap;
