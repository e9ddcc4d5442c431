import { z } from 'zod';
import { IdentifierSchema } from './identifier.ts';
import { PageSummarySchema } from './page.ts';

export const TaxonomyTermSchema = z
  .object({
    name: z.string().describe('The category or tag as written in front matter.'),
    slug: z.string().describe('URL-safe form of the name: use it in /v1/categories/{slug} or /v1/tags/{slug}.'),
    count: z.number().int().min(1).describe('Published pages that have it.'),
    pages: z.string().describe('URL of the list of those pages (/v1/pages filtered by it).'),
  })
  .meta({ id: 'TaxonomyTerm', example: { name: 'blog-post', slug: 'blog-post', count: 12, pages: '/v1/pages?category=blog-post' } });

export const TaxonomyListSchema = z
  .object({ items: z.array(TaxonomyTermSchema).describe('Every term, most used first (then by name).') })
  .meta({
    id: 'TaxonomyList',
    example: { items: [{ name: 'blog-post', slug: 'blog-post', count: 12, pages: '/v1/pages?category=blog-post' }] },
  });

export const TaxonomyTermPagesSchema = TaxonomyTermSchema.extend({
  items: z.array(PageSummarySchema).describe('Every published page that has it, newest first (undated pages last, by slug).'),
}).meta({
  id: 'TaxonomyTermPages',
  description: 'A category or tag with the summaries of its pages.',
  example: {
    name: 'guides',
    slug: 'guides',
    count: 1,
    pages: '/v1/pages?category=guides',
    items: [
      {
        slug: 'peer-review',
        title: 'Software peer review',
        permalink: '/peer-review/',
        layout: 'single',
        excerpt: null,
        date: null,
        last_modified: null,
        collection: null,
        categories: ['guides'],
        tags: [],
      },
    ],
  },
});

/**
 * A term's name as the list filter takes it (`/v1/pages?category=`, the `pages` link of a term):
 * the loader lists no term whose name this refuses (see schemas/identifier.ts).
 */
export const TermNameSchema = IdentifierSchema;

/**
 * A term's slug as its route takes it (`/v1/categories/{slug}`): the loader lists no term whose
 * slug this refuses. A name of punctuation only is its own slug, so `.` and `..` are refused here:
 * clients resolve those path segments away before the request is sent. The pattern says "anything
 * but . and .." without a lookahead, which the request generators of the contract test
 * (test/contract.property.test.ts) cannot read.
 */
export const TermSlugSchema = IdentifierSchema.regex(
  /^(?:[^.]|\.[^.]|\.\.[\s\S])[\s\S]*$/,
  'must not be . or .. (a URL cannot carry them as a path segment)',
);

/** The slug of one term: a category's or a tag's (each with an example the bundled content has). */
const termSlug = (example: string) => TermSlugSchema.describe('Slug of the category or tag, as listed.').meta({ examples: [example] });

export const CategoryParamsSchema = z.object({ slug: termSlug('blog-post') });
export const TagParamsSchema = z.object({ slug: termSlug('peer-review') });

export type TaxonomyTerm = z.infer<typeof TaxonomyTermSchema>;
export type TaxonomyTermPages = z.infer<typeof TaxonomyTermPagesSchema>;
