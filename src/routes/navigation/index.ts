import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { MenuListSchema, type MenuList } from '../../../schemas/menu.ts';
import { NavigationSchema, type Navigation } from '../../../schemas/navigation.ts';
import { menusOf } from '../../discovery/menus.ts';
import { representJson } from '../../http/representation.ts';

/** Call-to-action links declared in page headers, and the site's menus. */
const navigation: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/navigation',
    {
      schema: {
        tags: ['navigation'],
        operationId: 'listNavigation',
        querystring: NoQuerySchema,
        summary: 'List the header actions of every published page',
        description: 'Every `header.actions` link, with internal links resolved to the page they point to.',
        response: { 200: NavigationSchema, 304: NotModifiedSchema },
      },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      return reply.represent(
        view.responses.get('navigation', () =>
          representJson({ items: [...view.navigation], total: view.navigation.length } satisfies Navigation, view.modified),
        ),
      );
    },
  );

  fastify.get(
    '/navigation/menus',
    {
      schema: {
        tags: ['navigation'],
        operationId: 'listMenus',
        querystring: NoQuerySchema,
        summary: 'List the site menus (from _data/navigation.yml)',
        description:
          "The menus of a Jekyll site's `_data/navigation.yml` (main, footer, docs…), in file order, each link with its sub-links; " +
          "a link to a page of the site resolves to its permalink and slug (through redirects), as Jekyll's relative_url reads it. " +
          'A link the file gets wrong is left out (`npm run check` names its line). Empty for a site without menus.',
        response: { 200: MenuListSchema, 304: NotModifiedSchema },
      },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      return reply.represent(
        view.responses.get('navigation/menus', () => {
          const menus = menusOf(fastify.content.snapshot, view);
          return representJson({ items: menus, total: menus.length } satisfies MenuList, view.modified);
        }),
      );
    },
  );
};

export default navigation;
