import { z } from 'zod';
import { PageSchema } from './page.ts';

/** What a frontend router needs to map a URL path to content. */
export const ResolutionSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('page'),
      path: z
        .string()
        .describe("The page's permalink: the canonical spelling of the path asked for (`/a`, `/a/index.html` and `/a/#x` all give `/a/`)."),
      page: PageSchema.describe('The whole page, so a router can render it without a second request.'),
    }),
    z.object({
      kind: z.literal('redirect'),
      path: z.string().describe('The redirected path in canonical form (no trailing slash, `.html` or fragment).'),
      location: z.string().describe('Where the path now lives (a permalink or an absolute URL).'),
      status: z.literal(301),
    }),
  ])
  .meta({
    id: 'Resolution',
    description: 'The page served at the path, or the redirect (301) the path stands for.',
    example: {
      kind: 'page',
      path: '/',
      page: {
        slug: 'index',
        title: 'Welcome to pyOpenSci',
        permalink: '/',
        layout: 'single',
        excerpt: null,
        date: null,
        last_modified: null,
        collection: null,
        categories: [],
        tags: [],
        front_matter: { title: 'Welcome to pyOpenSci' },
        author: null,
        images: [],
        html: '<h2 id="about-pyopensci">About pyOpenSci</h2>',
        sections: [],
        toc: [],
        faq: [],
        components: [],
        actions: [{ label: 'Resources', url: '/resources/', internal: true, slug: 'resources', page: 'index' }],
      },
    },
  });

export type Resolution = z.infer<typeof ResolutionSchema>;
