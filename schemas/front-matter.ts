import { z } from 'zod';
import { MAX_IDENTIFIER_LENGTH } from './identifier.ts';

/**
 * The content model of a page's front matter: the keys Jekyll and the
 * minimal-mistakes theme give meaning to. Unknown keys are kept (`.loose()`):
 * real sites carry their own, and frontends may rely on them.
 */

/** A call-to-action link in a page header (minimal-mistakes `header.actions`). */
export const HeaderActionSchema = z
  .object({
    label: z.string().min(1).describe('Text of the button or link.'),
    url: z.string().min(1).describe('Absolute URL, site path or path relative to the page.'),
  })
  .loose()
  .meta({ id: 'HeaderAction' });

/** A CSS value or a number between 0 and 1 (minimal-mistakes darkens the header image by it). */
const OverlayFilterSchema = z.union([
  z.number().min(0).max(1),
  z.string().min(1).describe('A CSS background value such as rgba(0, 0, 0, 0.5) or linear-gradient(...).'),
]);

export const PageHeaderSchema = z
  .object({
    image: z.string().optional(),
    teaser: z.string().optional(),
    overlay_image: z.string().optional(),
    overlay_color: z.string().optional(),
    overlay_filter: OverlayFilterSchema.optional(),
    caption: z.string().optional(),
    actions: z.array(HeaderActionSchema).optional(),
  })
  .loose();

/** One string or a list of strings: Jekyll accepts both for categories, tags and redirects. */
const StringOrListSchema = z.union([z.string(), z.array(z.string())]);

/** Dates as authors write them: `2024-10-28`, `2024-10-28 10:00:00 -0600`, ISO 8601. */
export const DateTextSchema = z.string().refine((value) => parseContentDate(value) !== null, {
  message: 'must be a date such as 2024-10-28 or 2024-10-28 10:00:00 -0600',
});

/** Reads a front-matter date the way Jekyll does (a space may separate date and time). */
export function parseContentDate(value: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!match) return null;
  const [, day, time = '00:00:00', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${day}T${time.length === 4 ? '0' + time : time}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A permalink is a path on the site: no scheme or host, no `.` or `..` segment (nor one spelled
 * with percent-escapes), no query or fragment, no white space, backslash or control character.
 * Jekyll's placeholders (`/:categories/:title/`) are paths too.
 */
const PERMALINK_PATTERN = /^(?![A-Za-z][A-Za-z0-9+.-]*:\/\/|\/\/)(?!(?:.*\/)?\.{1,2}(?:\/|$))[^\s?#\\\u0000-\u001f\u007f]+$/;
const PERMALINK_MESSAGE =
  "must be a path on the site such as /about/: no scheme or host, no '.' or '..' segment, no '?', '#', space or control character";

/** A path with its percent-escapes decoded, as the resolver compares paths; undecodable escapes are kept. */
export function decodedPath(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const PermalinkSchema = z
  .string()
  .min(1)
  .regex(PERMALINK_PATTERN, { message: PERMALINK_MESSAGE, abort: true })
  .refine((value) => PERMALINK_PATTERN.test(decodedPath(value)), { message: `${PERMALINK_MESSAGE}, even percent-encoded` });

export const FrontMatterSchema = z
  .object({
    layout: z.string().optional().describe('Theme layout (single, splash, archive...).'),
    title: z.string().optional().describe('Page title.'),
    permalink: PermalinkSchema.optional().describe('Public URL path of the page, e.g. /resources/.'),
    published: z.boolean().optional().describe('false makes the page a draft: it is served nowhere.'),
    slug: z
      .string()
      .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, dot, dash and underscore only')
      .max(MAX_IDENTIFIER_LENGTH)
      .optional(),
    excerpt: z.string().optional(),
    description: z.string().optional(),
    author_profile: z.boolean().optional(),
    'site-map': z.boolean().optional().describe('false leaves the page out of the sitemap.'),
    sitemap: z.boolean().optional().describe('false leaves the page out of the sitemap (jekyll-sitemap).'),
    toc: z.boolean().optional(),
    toc_label: z.string().optional(),
    toc_icon: z.string().optional(),
    toc_sticky: z.boolean().optional(),
    classes: StringOrListSchema.optional(),
    header: PageHeaderSchema.optional(),
    redirect_from: StringOrListSchema.optional(),
    redirect_to: z.string().optional(),
    categories: StringOrListSchema.optional(),
    category: z.string().optional(),
    tags: StringOrListSchema.optional(),
    date: DateTextSchema.optional(),
    last_modified: DateTextSchema.optional(),
    author: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    comments: z.boolean().nullable().optional(),
    share: z.boolean().optional(),
    related: z.boolean().optional(),
    read_time: z.boolean().optional(),
    search: z.boolean().optional(),
  })
  .loose()
  .meta({ id: 'FrontMatter', title: 'Page front matter', description: 'YAML front matter of a content page.' });

export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export type HeaderAction = z.infer<typeof HeaderActionSchema>;

/** The keys the content model knows; anything else is kept but checked for likely typos. */
export const knownFrontMatterKeys: readonly string[] = Object.keys(FrontMatterSchema.shape);
