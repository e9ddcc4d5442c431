import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { AtomFeedSchema } from '../../../schemas/feed.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { atomFeed } from '../../discovery/feed.ts';
import { SITE_URL_MISSING, siteBaseUrl } from '../../discovery/site-url.ts';
import { HttpProblem } from '../../http/problem.ts';
import { represent } from '../../http/representation.ts';

export interface FeedRoutesOptions {
  /** SITE_URL: the public URL of the site, base of the absolute URLs. */
  siteUrl?: string;
}

const ATOM_MEDIA_TYPE = 'application/atom+xml';

/** /feed.xml (jekyll-feed), for sites whose `_config.yml` names the plugin; serialized once per content version and base URL. */
const feed: FastifyPluginAsyncZod<FeedRoutesOptions> = async (fastify, options) => {
  fastify.get(
    '/feed.xml',
    {
      schema: {
        tags: ['navigation'],
        operationId: 'getFeed',
        summary: 'The Atom feed of the newest posts (jekyll-feed)',
        description:
          "Served when the Jekyll site's `_config.yml` names jekyll-feed in `plugins:` (or `gems:`); 404 otherwise. Honours `feed.posts_limit`, " +
          "`feed.excerpt_only` and `feed.path` (the feed's self link and id); absolute URLs under SITE_URL (else the site's url and baseurl; with neither, 404).",
        response: { 200: AtomFeedSchema, 304: NotModifiedSchema, 404: ProblemSchema },
      },
      config: { produces: [ATOM_MEDIA_TYPE] },
    },
    async (request, reply) => {
      const settings = fastify.content.snapshot.feed;
      if (!settings) throw new HttpProblem(404, 'This site has no feed: its _config.yml does not name jekyll-feed in plugins.');
      const view = fastify.content.viewFor(request);
      const base = siteBaseUrl(options.siteUrl, fastify.content.snapshot);
      // A feed's ids and links are absolute: they come from settings, never from the request's Host.
      if (base === undefined) throw new HttpProblem(404, `No feed. ${SITE_URL_MISSING}`);
      return reply.represent(
        view.responses.get(`feed.xml:${base}`, () => {
          const posts = view.listing.list({ sort: 'date', order: 'desc', type: 'posts', limit: settings.postsLimit, offset: 0 }).items;
          return represent(atomFeed(posts, settings, base, view.modified), `${ATOM_MEDIA_TYPE}; charset=utf-8`, view.modified);
        }),
      );
    },
  );
};

export default feed;
