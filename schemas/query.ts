import { z } from 'zod';
import { FormatQuerySchema } from './format.ts';

/** Paging of every list: at most 100 items a page. */
export const PagingQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int({ error: 'must be a whole number from 1 to 100' })
    .min(1, { error: 'must be at least 1' })
    .max(100, { error: 'must be at most 100' })
    .default(20)
    .describe('Items per page, 1 to 100.')
    .meta({ examples: [20] }),
  offset: z.coerce
    .number({ error: 'must be a whole number, 0 or more' })
    .int({ error: 'must be a whole number, 0 or more' })
    .min(0, { error: 'must be 0 or more' })
    .default(0)
    .describe('Items to skip.')
    .meta({ examples: [0] }),
});

export const FormatOnlyQuerySchema = z.object({ format: FormatQuerySchema });

export const SlugParamsSchema = z.object({
  slug: z.string().min(1).max(200).describe('Page slug, as listed by /v1/pages.').meta({ examples: ['index'] }),
});

export const SectionParamsSchema = SlugParamsSchema.extend({
  id: z.string().min(1).max(200).describe('Section id: the heading anchor.').meta({ examples: ['community-meetings'] }),
});

export const FaqQuerySchema = PagingQuerySchema.extend({
  q: z.string().trim().min(1).max(200).optional().describe('Words to look for in questions and answers (case-insensitive).').meta({ examples: ['JOSS'] }),
  page: z.string().min(1).max(200).optional().describe('Only entries of the page with this slug.').meta({ examples: ['index'] }),
});

export const FaqParamsSchema = z.object({ id: z.string().min(1).max(200).describe('FAQ entry id (the question anchor).').meta({ examples: ['whats-the-difference-between-pyopensci-and-joss'] }) });

export const ResolveQuerySchema = z.object({
  path: z.string().min(1).max(2000).startsWith('/', 'must be a site path starting with /').describe('A URL path of the site, e.g. /resources/.').meta({ examples: ['/resources/'] }),
});
