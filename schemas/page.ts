import { z } from 'zod';
import { FaqEntrySchema } from './faq.ts';
import { NavActionSchema } from './navigation.ts';
import { SectionSchema, TocEntrySchema } from './section.ts';
import { AuthorSchema } from './author.ts';
import { PageImageSchema } from './asset.ts';

const pageSummaryExample = {
  slug: 'index',
  title: 'Welcome to pyOpenSci',
  permalink: '/',
  layout: 'single',
  excerpt: 'pyOpenSci promotes open and reproducible research through peer-review of scientific Python packages.',
  date: null,
  last_modified: null,
  collection: null,
  categories: [],
  tags: [],
};

/** What a listing needs of a page. */
export const PageSummarySchema = z
  .object({
    slug: z.string().describe('Stable identifier of the page; use it in /v1/pages/{slug}.'),
    title: z.string(),
    permalink: z.string().describe('Public URL path of the page.'),
    layout: z.string().nullable(),
    excerpt: z.string().nullable().describe('Plain-text summary: the excerpt front matter or the first paragraph.'),
    date: z.string().nullable().describe('Publication date (ISO 8601), for posts and dated pages.'),
    last_modified: z.string().nullable().describe('Last modification date (ISO 8601) when the front matter gives one.'),
    collection: z.string().nullable().describe('Jekyll collection (posts, ...) or null for a plain page.'),
    categories: z.array(z.string()),
    tags: z.array(z.string()),
  })
  .meta({ id: 'PageSummary', example: pageSummaryExample });

/**
 * A component the page uses but the server does not render: a Jekyll include whose template is
 * absent, or a jekyll-gist embed. Its placeholder in the HTML names it by `id`.
 */
export const ComponentSchema = z
  .object({
    id: z.string().describe('Unique in the page; the placeholder element in the HTML carries it as data-include-id.'),
    kind: z
      .enum(['include', 'gist'])
      .describe('include: a Jekyll include left to the frontend; gist: a `{% gist %}` embed (params.id, params.file).'),
    name: z.string().describe("Include name, e.g. pyos-blockquote.html (the placeholder's data-include); `gist` for a gist."),
    params: z
      .record(z.string(), z.unknown())
      .describe("Every parameter the include was given (Jekyll's include.*): literals verbatim, variables evaluated."),
    context: z
      .record(z.string(), z.unknown())
      .describe(
        'The loop variables in scope where the include was rendered ({% for aperson in … %} gives {"aperson": {…}}): Jekyll includes read them implicitly. Empty outside loops.',
      ),
    placement: z.enum(['block', 'inline']).describe('block: the placeholder is a <div> on its own; inline: a <span> within text.'),
    line: z.number().int().min(1).describe('Line of the tag in the file.'),
  })
  .meta({
    id: 'Component',
    example: {
      id: 'component-1',
      kind: 'include',
      name: 'people-grid.html',
      params: { isotope: true },
      context: { aperson: { name: 'Leah Wasser', github_username: 'lwasser' } },
      placement: 'block',
      line: 120,
    },
  });

export const PageSchema = PageSummarySchema.extend({
  front_matter: z
    .record(z.string(), z.unknown())
    .describe(
      'All front matter, known and custom keys alike; image paths of the content folder (header.image, header.teaser, header.overlay_image…) point at /v1/assets/.',
    ),
  author: AuthorSchema.nullable().describe('The `author` front matter resolved from `_data/authors.yml`; null when the page names none.'),
  images: z
    .array(PageImageSchema)
    .describe(
      'Every image of the content folder the page uses (front matter, author avatar, body), with its served URL, width and height.',
    ),
  html: z.string().describe('The rendered, sanitized page body.'),
  sections: z.array(SectionSchema).describe('The page body split at its headings, as a tree.'),
  toc: z.array(TocEntrySchema).describe('Every heading, in order.'),
  faq: z.array(FaqEntrySchema).describe("Questions under the page's FAQ heading."),
  actions: z.array(NavActionSchema).describe("The page header's call-to-action links."),
  components: z
    .array(ComponentSchema)
    .describe(
      'Includes and embeds left for the frontend to render, in page order; each placeholder in `html` names one by data-include-id.',
    ),
}).meta({
  id: 'Page',
  description: 'A published page: its front matter, rendered HTML, sections, table of contents, FAQ entries and header actions.',
  example: {
    ...pageSummaryExample,
    front_matter: { layout: 'single', title: 'Welcome to pyOpenSci', permalink: '/' },
    author: null,
    images: [],
    html: '<h2 id="about-pyopensci">About pyOpenSci</h2>\n<p>pyOpenSci promotes open and reproducible research…</p>',
    sections: [],
    toc: [{ id: 'about-pyopensci', title: 'About pyOpenSci', level: 2 }],
    faq: [],
    actions: [{ label: 'Resources', url: '/resources/', internal: true, slug: 'resources', page: 'index' }],
    components: [],
  },
});

/** Fields of a page summary, the values `fields=` accepts. */
export const PAGE_SUMMARY_FIELDS = Object.keys(PageSummarySchema.shape) as (keyof z.infer<typeof PageSummarySchema>)[];

/** An item of a page list: the whole summary, or with `fields` only the fields asked for (and `slug`, which identifies it). */
export const PageListItemSchema = PageSummarySchema.partial()
  .required({ slug: true })
  .extend({
    front_matter: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('With `fields=front_matter.<path>`: those front-matter values, nested as in the page.'),
  })
  .meta({
    id: 'PageListItem',
    description: 'A page summary. With `fields`, only the fields asked for, and `slug` always: it identifies the page.',
    example: pageSummaryExample,
  });

export const PageListSchema = z
  .object({
    items: z.array(PageListItemSchema),
    total: z.number().int().min(0).describe('Number of pages that match the filters, before paging.'),
    limit: z.number().int(),
    offset: z.number().int().describe('Position of the first item among all that match.'),
    next: z.string().nullable().describe('URL of the next page of results (with a cursor), or null on the last page.'),
    prev: z.string().nullable().describe('URL of the previous page of results, or null on the first page.'),
    next_cursor: z
      .string()
      .nullable()
      .describe('Opaque cursor of the next page: pass it as `cursor`. It stays valid when content changes.'),
  })
  .meta({
    id: 'PageList',
    description:
      'One page of the published pages that match the filters, in the order asked for, with the total and links to page through them.',
    example: {
      items: [pageSummaryExample],
      total: 5,
      limit: 1,
      offset: 0,
      next: '/v1/pages?limit=1&cursor=PWluZGV4CmluZGV4',
      prev: null,
      next_cursor: 'PWluZGV4CmluZGV4',
    },
  });

export const SectionListSchema = z.object({ page: z.string(), items: z.array(SectionSchema) }).meta({
  id: 'SectionList',
  description: 'The sections of a page, as a tree: each section holds its subsections in children.',
  example: {
    page: 'index',
    items: [
      {
        id: 'get-involved',
        title: 'Get involved',
        level: 2,
        html: '',
        text: '',
        children: [
          {
            id: 'community-meetings',
            title: 'Community meetings',
            level: 3,
            html: '<p>We meet every 2 weeks.</p>',
            text: 'We meet every 2 weeks.',
            children: [],
          },
        ],
      },
    ],
  },
});

export type PageSummary = z.infer<typeof PageSummarySchema>;
export type Page = z.infer<typeof PageSchema>;
export type Component = z.infer<typeof ComponentSchema>;
export type PageList = z.infer<typeof PageListSchema>;
export type PageListItem = z.infer<typeof PageListItemSchema>;
export type SectionList = z.infer<typeof SectionListSchema>;
