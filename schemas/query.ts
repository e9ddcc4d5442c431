import { z } from 'zod';
import { PAGE_SUMMARY_FIELDS } from './page.ts';
import { FormatQuerySchema } from './format.ts';
import { IMAGE_VARIANT_FORMATS, IMAGE_VARIANT_WIDTH } from './asset.ts';
import { IdentifierSchema, SitePathSchema } from './identifier.ts';
import { SectionIdSchema } from './section.ts';
import { TermNameSchema } from './taxonomy.ts';

/**
 * A query string that refuses parameters it does not know: each unknown one is a 400 naming it
 * (a misspelt filter must not silently return everything).
 */
export function strictQuery<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  const reason = known.length
    ? `is not a parameter of this route (it takes ${known.join(', ')})`
    : 'is not a parameter of this route (it takes none)';
  // Zod's own check of unknown keys: it reads the query string as given, `__proto__` included,
  // where a refinement would see only the parsed object (from which Zod leaves `__proto__` out).
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? reason : undefined) });
}

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

export const FormatOnlyQuerySchema = strictQuery({ format: FormatQuerySchema });

/** The query string of a route that takes no parameters: any parameter is a 400 (a typo must not pass unnoticed). */
export const NoQuerySchema = strictQuery({});

export const SlugParamsSchema = z.object({
  slug: IdentifierSchema.describe('Page slug, as listed by /v1/pages.').meta({ examples: ['peer-review'] }),
});

export const SectionParamsSchema = SlugParamsSchema.extend({
  id: SectionIdSchema.describe('Section id: the heading anchor.').meta({ examples: ['how-the-process-works'] }),
});

/** Query string of GET /v1/faq. Unknown parameters are refused. */
export const FaqQuerySchema = strictQuery({
  ...PagingQuerySchema.shape,
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Words to look for: entries whose question matches come first, then those where only the answer does. Typos and word beginnings match too.',
    )
    .meta({ examples: ['JOSS'] }),
  page: IdentifierSchema.optional()
    .describe('Only entries of the page with this slug.')
    .meta({ examples: ['index'] }),
  format: z
    .enum(['json', 'jsonld'])
    .optional()
    .describe(
      'json (default), or jsonld: every matching entry (not paged) as a schema.org FAQPage, application/ld+json. Accept: application/ld+json does the same.',
    ),
});

export const FaqParamsSchema = z.object({
  id: IdentifierSchema.describe('FAQ entry id (the question anchor).').meta({
    examples: ['whats-the-difference-between-pyopensci-and-joss'],
  }),
});

export const ResolveQuerySchema = strictQuery({
  path: SitePathSchema.describe('A URL path of the site, e.g. /resources/.').meta({ examples: ['/resources/'] }),
});

/** How a page list can be ordered. */
export const PAGE_SORT_KEYS = ['slug', 'title', 'date', 'last_modified'] as const;

const FIELD = `(?:${PAGE_SUMMARY_FIELDS.join('|')}|front_matter(?:\\.[A-Za-z0-9_-]{1,100}){1,5})`;
const FIELDS_PATTERN = new RegExp(`^${FIELD}(?:,${FIELD}){0,49}$`);
const isField = (name: string) => new RegExp(`^${FIELD}$`).test(name);

function unknownFieldsMessage(input: unknown): string {
  const unknown = String(input)
    .split(',')
    .filter((name) => !isField(name));
  const names =
    unknown.length > 0
      ? `${unknown.length === 1 ? 'unknown field' : 'unknown fields'} ${unknown.map((name) => `"${name}"`).join(', ')}`
      : 'an empty field name (or more than 50 fields)';
  return `has ${names}; use a comma-separated list of: ${PAGE_SUMMARY_FIELDS.join(', ')}, or front-matter paths such as front_matter.header.teaser`;
}

const WHERE_OPERATORS = ['eq', 'in', 'exists', 'before', 'after'] as const;
/** A day that is in the calendar, YYYY-MM-DD (2024-02-29, not 2024-02-30): the pattern of `since` and `until` too. */
const CALENDAR_DAY = z.regexes.date.source.replace(/^\^|\$$/g, '');
// The operand is in the pattern too (days in the calendar for before/after, true/false for
// exists), so the OpenAPI document says exactly what is accepted.
const WHERE_PATTERN = new RegExp(`^${FIELD}:(?:(?:eq|in):[^\\n]{0,500}|(?:before|after):${CALENDAR_DAY}|exists:(?:true|false))$`);

function whereMessage(input: unknown): string {
  const [field, operator] = String(input).split(':');
  if (!isField(field ?? ''))
    return `has an unknown field "${field}"; use ${PAGE_SUMMARY_FIELDS.join(', ')} or a front-matter path such as front_matter.author, e.g. where=front_matter.author:eq:Leah Wasser`;
  if (!(WHERE_OPERATORS as readonly string[]).includes(operator ?? ''))
    return `has an unknown operator "${operator ?? ''}"; use one of ${WHERE_OPERATORS.join(', ')}, e.g. where=${field}:eq:value`;
  const day = /^(?:before|after):(\d{4}-\d{2}-\d{2})$/.exec(String(input).slice(field.length + 1))?.[1];
  if (day) return `has a date that is not in the calendar (${day}); before and after take a real day, YYYY-MM-DD`;
  return 'must be <field>:<operator>:<value>, e.g. where=date:after:2024-01-01 (before and after take a date, YYYY-MM-DD; exists takes true or false)';
}

const whereCondition = z.string().regex(WHERE_PATTERN, { error: (issue) => whereMessage(issue.input) });

const isoDay = (bound: string) =>
  z.iso
    .date({ error: 'must be a date, YYYY-MM-DD' })
    .optional()
    .describe(`Only pages dated ${bound} this day (inclusive); pages without a date are left out.`);

/**
 * The `type` filter of /v1/pages and /v1/search: `page` or a collection label, listed values,
 * bounded as every listed value is (schemas/identifier.ts).
 */
export const PageTypeFilterSchema = IdentifierSchema.optional()
  .describe('Only pages of this type: `page` for plain pages, or a collection label such as `posts`.')
  .meta({ examples: ['posts'] });

/**
 * The `layout` filter of /v1/pages and /v1/search: a page's layout as its summary lists it, which
 * is never longer than this takes (a longer one is left out of the summary: `layout-not-routable`).
 */
export const LayoutFilterSchema = IdentifierSchema.optional()
  .describe('Only pages with this layout.')
  .meta({ examples: ['single'] });

/**
 * Query string of GET /v1/pages: filters, order, fields and paging. Unknown parameters are refused,
 * so a misspelt filter is a 400 rather than a silently unfiltered list.
 */
export const PageListQuerySchema = strictQuery({
  ...PagingQuerySchema.shape,
  offset: PagingQuerySchema.shape.offset.describe('Items to skip (after the cursor, when one is given).'),
  cursor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      'Where to continue: the `next_cursor` of the previous response (the `next` link carries it). Stays valid when content changes.',
    ),
  sort: z
    .enum(PAGE_SORT_KEYS)
    .default('slug')
    .describe('Order by slug (default), title, date (publication) or last_modified (front matter, else the file date).'),
  order: z
    .enum(['asc', 'desc'])
    .optional()
    .describe(
      'asc or desc; by default asc for slug and title, desc (newest first) for date and last_modified. Pages without a date come last either way.',
    ),
  fields: z
    .string()
    .regex(FIELDS_PATTERN, { error: (issue) => unknownFieldsMessage(issue.input) })
    .transform((value) => [...new Set(value.split(','))])
    .optional()
    .describe(
      `Only these fields of each page, comma-separated (slug is always included): ${PAGE_SUMMARY_FIELDS.join(', ')}, ` +
        "and front-matter paths such as `front_matter.header.teaser` (nested as in the page's front matter; absent when the page has none).",
    )
    .meta({ examples: ['slug,title'] }),
  type: PageTypeFilterSchema,
  layout: LayoutFilterSchema,
  category: TermNameSchema.optional().describe('Only pages in this category: its name, as /v1/categories lists it.'),
  tag: TermNameSchema.optional().describe('Only pages with this tag: its name, as /v1/tags lists it.'),
  since: isoDay('on or after'),
  until: isoDay('on or before'),
  path: SitePathSchema.optional()
    .describe('Only pages whose permalink starts with this path, e.g. /blog/.')
    .meta({ examples: ['/blog/'] }),
  where: z
    // One condition or several (the parameter repeated); no transform, so the OpenAPI document
    // describes exactly what is accepted. Routes read it through `whereConditions`.
    .union([whereCondition, z.array(whereCondition).min(1).max(10)])
    .optional()
    .describe(
      'Conditions on any summary field or front-matter path, `<field>:<operator>:<value>`; repeat it (up to 10) for all to hold. Operators: ' +
        '`eq` (equals; a list matches when an item does), `in` (one of comma-separated values), `exists` (`true` or `false`), ' +
        '`before` / `after` (dates, YYYY-MM-DD, exclusive). E.g. `where=front_matter.author:eq:Leah Wasser`, `where=date:after:2024-01-01`, ' +
        '`where=front_matter.header.teaser:exists:true`. An unknown field or operator is a 400 with a hint.',
    )
    .meta({ examples: ['title:exists:true'] }),
});

const variantWidthError = `must be a whole number of pixels from ${IMAGE_VARIANT_WIDTH.min} to ${IMAGE_VARIANT_WIDTH.max}`;

/**
 * Query string of GET /v1/assets/{path}: nothing for the file as it is; `w` and `format` ask for
 * a resized or re-encoded variant of an image. Unknown parameters are refused.
 */
export const AssetQuerySchema = strictQuery({
  w: z.coerce
    .number({ error: variantWidthError })
    .int({ error: variantWidthError })
    .min(IMAGE_VARIANT_WIDTH.min, { error: `must be at least ${IMAGE_VARIANT_WIDTH.min}` })
    .max(IMAGE_VARIANT_WIDTH.max, { error: `must be at most ${IMAGE_VARIANT_WIDTH.max}` })
    .optional()
    .describe(
      `Images only: the width of the variant, ${IMAGE_VARIANT_WIDTH.min} to ${IMAGE_VARIANT_WIDTH.max} pixels, the height following the image's proportions. ` +
        'Never wider than the image itself: a larger `w` gives the image at its own width (same ETag as asking for that width).',
    )
    .meta({ examples: [640] }),
  format: z
    .enum(IMAGE_VARIANT_FORMATS, { error: `must be one of ${IMAGE_VARIANT_FORMATS.join(', ')}` })
    .optional()
    .describe(
      'Images only: encode the variant as WebP, AVIF, JPEG or PNG. Without it, a PNG, JPEG, WebP or AVIF keeps its own format, a GIF or TIFF becomes PNG.',
    ),
});

/** Query string of GET /v1/pages/{slug}/toc. */
export const TocQuerySchema = strictQuery({
  depth: z.coerce
    .number({ error: 'must be a whole number from 1 to 6' })
    .int({ error: 'must be a whole number from 1 to 6' })
    .min(1, { error: 'must be at least 1' })
    .max(6, { error: 'must be at most 6' })
    .default(6)
    .describe(
      "Heading levels to include, counted from the page's top level: 1 for the top headings only, 2 for them and the level under them…",
    )
    .meta({ examples: [2] }),
});

/** The `where` parameter as a list, however many times it was given. */
export function whereConditions(where: string | readonly string[] | undefined): readonly string[] {
  return where === undefined ? [] : typeof where === 'string' ? [where] : where;
}

export type AssetQuery = z.infer<typeof AssetQuerySchema>;
