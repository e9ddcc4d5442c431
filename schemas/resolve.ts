import { z } from 'zod';
import { PageSummarySchema } from './page.ts';

/** What a frontend router needs to map a URL path to content. */
export const ResolutionSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('page'),
      path: z.string().describe('The path asked for.'),
      page: PageSummarySchema,
    }),
    z.object({
      kind: z.literal('redirect'),
      path: z.string(),
      location: z.string().describe('Where the path now lives (a permalink or an absolute URL).'),
      status: z.literal(301),
    }),
  ])
  .meta({
    id: 'Resolution',
    example: {
      kind: 'page',
      path: '/',
      page: {
        slug: 'index', title: 'Welcome to pyOpenSci', permalink: '/', layout: 'single', excerpt: null,
        date: null, last_modified: null, collection: null, categories: [], tags: [],
      },
    },
  });

export type Resolution = z.infer<typeof ResolutionSchema>;
