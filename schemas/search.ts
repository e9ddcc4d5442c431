import { z } from 'zod';
import { LayoutFilterSchema, PageTypeFilterSchema, PagingQuerySchema, strictQuery } from './query.ts';
import { TermNameSchema } from './taxonomy.ts';

/** Most hits one search answers at a time. */
export const MAX_SEARCH_LIMIT = 100;

/** Query string of GET /v1/search: the words, filters and paging. Unknown parameters are refused. */
export const SearchQuerySchema = strictQuery({
  q: z
    .string({ error: 'is required: the words to look for' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' })
    .describe('Words to look for in titles, headings, text and FAQ questions. Typos and word beginnings match too.')
    .meta({ examples: ['peer review'] }),
  type: PageTypeFilterSchema,
  layout: LayoutFilterSchema,
  category: TermNameSchema.optional()
    .describe('Only pages in this category: its name, as /v1/categories lists it.')
    .meta({ examples: ['blog-post'] }),
  limit: z.coerce
    .number({ error: `must be a whole number from 1 to ${MAX_SEARCH_LIMIT}` })
    .int({ error: `must be a whole number from 1 to ${MAX_SEARCH_LIMIT}` })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_SEARCH_LIMIT, { error: `must be at most ${MAX_SEARCH_LIMIT}` })
    .default(10)
    .describe(`Hits per page, 1 to ${MAX_SEARCH_LIMIT}.`)
    .meta({ examples: [10] }),
  offset: PagingQuerySchema.shape.offset,
});

const hitExample = {
  slug: 'about-peer-review',
  title: 'About peer review',
  permalink: '/about-peer-review/',
  url: '/about-peer-review/#how-does-peer-review-work',
  section: { id: 'how-does-peer-review-work', title: 'How does peer review work?' },
  snippet: 'Our <mark>peer</mark> <mark>review</mark> process is open and constructive…',
  score: 12.73,
  type: 'page',
  layout: 'splash',
  categories: [],
  date: null,
  sections: [{ id: 'who-reviews', title: 'Who reviews?', url: '/about-peer-review/#who-reviews' }],
};

/** A section of a hit, linked to directly. */
export const SearchSectionSchema = z
  .object({
    id: z.string().describe('Anchor of the section heading.'),
    title: z.string(),
    url: z.string().describe('Deep link: the page permalink with the section anchor.'),
  })
  .meta({ id: 'SearchSection', example: hitExample.sections[0] });

/** One page that matches, at its best-matching section. */
export const SearchHitSchema = z
  .object({
    slug: z.string(),
    title: z.string(),
    permalink: z.string(),
    url: z.string().describe('Where to send the reader: permalink#section for a section, the permalink when the page itself matched best.'),
    section: z
      .object({ id: z.string(), title: z.string() })
      .nullable()
      .describe('The best-matching section, or null when the page title or introduction matched best.'),
    snippet: z.string().describe('A short passage of the matching text, HTML-escaped, with the matched words in `mark` elements.'),
    score: z.number().describe('Relevance: higher is better. Only comparable within one response.'),
    type: z.string().describe('`page`, or the collection of the document (`posts`…).'),
    layout: z.string().nullable(),
    categories: z.array(z.string()),
    date: z.string().nullable(),
    sections: z.array(SearchSectionSchema).describe('Other sections of the page that match, best first (at most 5).'),
  })
  .meta({ id: 'SearchHit', example: hitExample });

export const SearchResultsSchema = z
  .object({
    query: z.string().describe('The words searched for, as received.'),
    items: z.array(SearchHitSchema),
    total: z.number().int().min(0).describe('Pages that match, before paging.'),
    partial: z
      .boolean()
      .describe(
        'True when the search ran out of its time budget (SEARCH_BUDGET_MS): the hits then rank only the first words of `q`. Repeating the query gives the same answer.',
      ),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({
    id: 'SearchResults',
    description:
      'Pages that match, best first, each at its best-matching section. Every word must match (a word may be the beginning of a longer one); ' +
      'when nothing matches, words one typo away match; when still nothing matches, any word may.',
    example: { query: 'peer review', items: [hitExample], total: 1, partial: false, limit: 10, offset: 0 },
  });

export type SearchQuery = z.infer<typeof SearchQuerySchema>;
export type SearchHit = z.infer<typeof SearchHitSchema>;
export type SearchResults = z.infer<typeof SearchResultsSchema>;
