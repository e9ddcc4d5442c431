/**
 * Jekyll 4's URL rules: permalink styles and placeholders, the URL a post or
 * collection document gets, the URL a page gets, and what a post's file name
 * says about it. Everything here is a pure function of its arguments.
 */

/** Placeholder values for a URL template, keyed by name without the colon. */
export type UrlPlaceholders = Readonly<Record<string, string | null>>;

/** A wall-clock date and time in the site's time zone. */
export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

/** What a post's file name (`YYYY-MM-DD-slug.ext`) says about it. */
export interface PostFilename {
  /** `YYYY-MM-DD`, zero-padded. */
  date: string;
  /** The part between the date and the extension, trailing dots removed. */
  slug: string;
  /** The extension, with its dot. */
  ext: string;
}

/** A post or collection document, as far as its URL is concerned. */
export interface UrlDocument {
  /** Collection label: `posts`, `packages`, … */
  collection: string;
  /** Path relative to the collections folder (the site folder by default), e.g. `_posts/2024-01-02-hello.md`. */
  relativePath: string;
  /** The collection's folder relative to the same place; defaults to `_${collection}`. */
  collectionDir?: string;
  /** `slug` from the front matter; without it, the file name less its extension and any leading date. */
  slug?: string | null;
  /** Categories as Jekyll holds them (front matter, defaults and folders above `_posts`). */
  categories?: readonly unknown[];
  /** The document's date; needed only by templates that use date placeholders. */
  date?: CalendarDate;
  /** Output extension; defaults to `.html`. */
  outputExt?: string;
}

/** A page (a file outside any collection), as far as its URL is concerned. */
export interface UrlPage {
  /** Path relative to the site folder, e.g. `_pages/about.md` or `404.md`. */
  path: string;
  /** `permalink` from the front matter, if any. */
  permalink?: string | null;
  /** Output extension; defaults to `.html` for markdown and the file's own extension otherwise. */
  outputExt?: string;
}

/** Jekyll's built-in permalink styles and the templates they stand for. */
export const PERMALINK_STYLES: Readonly<Record<string, string>> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/** Jekyll's default `permalink` setting. */
export const DEFAULT_PERMALINK_STYLE = 'date';

const MARKDOWN_EXTENSIONS = ['.markdown', '.mkdown', '.mkdn', '.mkd', '.mdown', '.md'];
const HTML_EXTENSIONS = ['.html', '.xhtml', '.htm'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DATE_PLACEHOLDERS = new Set([
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'i_day',
  'i_month',
  'short_month',
  'long_month',
  'short_year',
  'w_year',
  'week',
  'w_day',
  'short_day',
  'long_day',
  'y_day',
]);
/** Jekyll 4.3's `Document::DATE_FILENAME_MATCHER`, applied to a base name. */
const POST_FILENAME = /^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)(\.[^.]+)$/;

/**
 * The template a permalink setting stands for: a built-in style name becomes
 * its template, anything else is already a template (Jekyll's
 * `style_to_permalink`).
 */
export function permalinkStyleTemplate(style: string): string {
  return Object.hasOwn(PERMALINK_STYLES, style) ? PERMALINK_STYLES[style] : style;
}

/**
 * Gives `template` the same ending as the site's permalink style: `/` for
 * `pretty` or a style ending in `/`, `:output_ext` for `date`, `ordinal`,
 * `none` or a style ending in `:output_ext` (Jekyll's `add_permalink_suffix`).
 */
export function addPermalinkSuffix(template: string, permalinkStyle: string): string {
  if (permalinkStyle === 'pretty') return `${template}/`;
  if (permalinkStyle === 'date' || permalinkStyle === 'ordinal' || permalinkStyle === 'none') {
    return `${template}:output_ext`;
  }
  let suffixed = template;
  if (permalinkStyle.endsWith('/')) suffixed += '/';
  if (permalinkStyle.endsWith(':output_ext')) suffixed += ':output_ext';
  return suffixed;
}

/**
 * The URL template of a collection's documents: its own `permalink`, or for
 * `posts` the site's permalink style, or `/:collection/:path` with the site
 * style's ending.
 */
export function collectionPermalinkTemplate(
  label: string,
  declared: string | null | undefined,
  sitePermalink: string | null | undefined,
): string {
  if (typeof declared === 'string' && declared !== '') return declared;
  const style = sitePermalink || DEFAULT_PERMALINK_STYLE;
  if (label === 'posts') return permalinkStyleTemplate(style);
  return addPermalinkSuffix('/:collection/:path', style);
}

/**
 * Expands a permalink template the way Jekyll does for posts and collection
 * documents: each `:name` is replaced by its URL-escaped value (`:month_` may
 * stand for `:month` followed by `_`), null values become empty, and the
 * result gets a leading slash, no `..` segments and no repeated slashes — so
 * an empty `:categories` disappears. A bare built-in style name (`date`,
 * `pretty`, `ordinal`, `weekdate`, `none`), as the site-wide `permalink`
 * setting allows, is first turned into its template.
 *
 * @throws Error when the template uses a placeholder `vars` does not have,
 *   as Jekyll stops the build there.
 */
export function expandPermalink(pattern: string, vars: UrlPlaceholders): string {
  return expandTemplate(permalinkStyleTemplate(pattern), vars);
}

/**
 * The placeholder values Jekyll offers a post or collection document
 * (`Drops::UrlDrop`): `:title` is the slug slugified in `pretty` mode keeping
 * case, `:slug` and `:name` are slugified in `default` mode, `:categories`
 * are lower-cased, de-duplicated and joined with `/`.
 */
export function documentUrlPlaceholders(document: UrlDocument): UrlPlaceholders {
  const extension = extensionOf(document.relativePath);
  const fileName = baseName(document.relativePath);
  const basename = fileName.slice(0, fileName.length - extension.length);
  const collectionDir = document.collectionDir ?? `_${document.collection}`;
  const withoutExtension = document.relativePath.slice(0, document.relativePath.length - extension.length);
  // Jekyll's `populate_title`: without a front matter slug, the file name gives one, less any date.
  const slug = typeof document.slug === 'string' ? document.slug : (POST_FILENAME.exec(fileName)?.[4] ?? basename).replace(/\.+$/, '');

  const placeholders: Record<string, string | null> = {
    collection: document.collection,
    path: withoutExtension.replace(collectionDir, '').replace(/\.+$/, ''),
    output_ext: document.outputExt ?? '.html',
    name: slugifyLikeJekyll(basename),
    title: slugifyLikeJekyll(slug, { mode: 'pretty', cased: true }),
    slug: slugifyLikeJekyll(slug),
    categories: [...new Set((document.categories ?? []).map((category) => String(category).toLowerCase()))].join('/'),
  };
  if (document.date) Object.assign(placeholders, datePlaceholders(document.date));
  return placeholders;
}

/** The URL of a post or collection document: its permalink if it has one, else its collection's template. */
export function documentUrl(document: UrlDocument & { permalink?: string | null }, template: string): string {
  // A document's own permalink is always a template, never a style name.
  const pattern = typeof document.permalink === 'string' && document.permalink !== '' ? document.permalink : template;
  return expandTemplate(pattern, documentUrlPlaceholders(document));
}

/**
 * The URL of a page (a file outside any collection). With a `permalink` that
 * is used, expanding `:path`, `:basename` and `:output_ext`; without one an
 * HTML page gets `/:path/:basename` plus the site style's ending (so
 * `_pages/foo.md` is `/_pages/foo.html` under the `date` style and
 * `/_pages/foo/` under a style ending in `/`), `index` pages get `/:path/`.
 */
export function pageUrl(page: UrlPage, sitePermalink?: string | null): string {
  const style = sitePermalink || DEFAULT_PERMALINK_STYLE;
  const name = baseName(page.path);
  const extension = extensionOf(name);
  const basename = name.slice(0, name.length - extension.length).replace(/\.+$/, '');
  const dir = page.path.slice(0, page.path.length - name.length).replace(/\/$/, '');
  const outputExt = page.outputExt ?? (MARKDOWN_EXTENSIONS.includes(extension.toLowerCase()) ? '.html' : extension);

  let template: string;
  if (!HTML_EXTENSIONS.includes(outputExt)) template = '/:path/:basename:output_ext';
  else if (basename === 'index') template = '/:path/';
  else template = addPermalinkSuffix('/:path/:basename', style);

  const pattern = typeof page.permalink === 'string' && page.permalink !== '' ? page.permalink : template;
  // Pages substitute their three placeholders in turn, plain-text, like Jekyll's hash-based URLs.
  let url = pattern;
  for (const [key, value] of [
    ['path', dir === '' ? '' : `/${dir}`],
    ['basename', basename],
    ['output_ext', outputExt],
  ]) {
    if (!url.includes(':')) break;
    url = url.split(`:${key}`).join(escapeUrlPath(value));
  }
  return sanitizeUrl(url);
}

/**
 * Reads the date and slug from a post file name such as
 * `2024-03-05-my-post.md` (a path is fine too; only its last part counts).
 * Returns null when the name has no date (Jekyll skips such files in
 * `_posts`) or the date does not exist (Jekyll stops the build).
 */
export function postInfoFromFilename(name: string): PostFilename | null {
  const match = POST_FILENAME.exec(baseName(name));
  if (!match) return null;
  const [, yearText, monthText, dayText, slug, ext] = match;
  let year = Number(yearText);
  // Ruby's Time.parse completes two-digit years the same way.
  if (yearText.length === 2) year += year >= 69 ? 1900 : 2000;
  const month = Number(monthText);
  const day = Number(dayText);
  const probe = calendarDay(year, month, day);
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  const date = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
  return { date, slug: slug.replace(/\.+$/, ''), ext };
}

/** How {@link slugifyLikeJekyll} treats characters; Jekyll's `slugify` modes. */
export type SlugifyMode = 'raw' | 'default' | 'pretty' | 'ascii' | 'none';

/**
 * Jekyll's `Utils.slugify` (except the `latin` mode, which needs a
 * transliteration table): runs of unwanted characters become `-`, a leading
 * and trailing `-` are dropped, and the result is lower-cased unless `cased`.
 * `default` keeps letters, marks and digits; `pretty` also keeps
 * `._~!$&'()+,;=@`; `ascii` keeps only `A-Za-z0-9`; `raw` only replaces
 * white space; `none` returns the text (lower-cased unless `cased`).
 */
export function slugifyLikeJekyll(text: string, options: { mode?: SlugifyMode; cased?: boolean } = {}): string {
  const mode = options.mode ?? 'default';
  const cased = options.cased ?? false;
  if (mode === 'none') return cased ? text : text.toLowerCase();
  const unwanted = {
    raw: /\s+/gu,
    default: /[^\p{M}\p{L}\p{Nd}]+/gu,
    pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
    ascii: /[^A-Za-z0-9]+/g,
  }[mode];
  // Ruby's ^ and $ match at every line, so a hyphen next to a newline goes too.
  const slug = text.replace(unwanted, '-').replace(/^-|-$/gm, '');
  return cased ? slug : slug.toLowerCase();
}

/** Jekyll's `URL.escape_path`: percent-encodes what may not appear in a URL path. */
function escapeUrlPath(path: string): string {
  if (path === '' || /^[a-zA-Z0-9./-]+$/.test(path)) return path;
  let escaped = '';
  for (const character of path) {
    escaped += /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/.test(character) ? character : encodeUtf8(character);
  }
  return escaped;
}

function encodeUtf8(character: string): string {
  return [...new TextEncoder().encode(character)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** Jekyll's `URL#sanitize_url`. */
function sanitizeUrl(url: string): string {
  return `/${url}`
    .split('..')
    .join('/')
    .split('./')
    .join('')
    .replace(/\/{2,}/g, '/');
}

/** Jekyll's `URL#generate_url_from_drop` followed by `sanitize_url`. */
function expandTemplate(template: string, vars: UrlPlaceholders): string {
  const expanded = template.replace(/:([a-z_]+)/g, (match, name: string) => {
    const pool = name.endsWith('_') ? [name, name.slice(0, -1)] : [name];
    const winner = pool.find((key) => Object.hasOwn(vars, key));
    if (winner === undefined) {
      const missing = pool[pool.length - 1];
      const why = DATE_PLACEHOLDERS.has(missing) ? 'but the document has no date' : 'which Jekyll does not know';
      throw new Error(`The permalink ${JSON.stringify(template)} uses :${missing}, ${why}.`);
    }
    return match.replace(`:${winner}`, escapeUrlPath(vars[winner] ?? ''));
  });
  return sanitizeUrl(expanded);
}

/** The date placeholders of Jekyll's `UrlDrop`, from strftime. */
function datePlaceholders(date: CalendarDate): Record<string, string> {
  const { year, month, day } = date;
  const utc = calendarDay(year, month, day);
  const weekday = utc.getUTCDay();
  const isoWeekday = weekday === 0 ? 7 : weekday;
  const dayOfYear = Math.round((utc.getTime() - calendarDay(year, 1, 1).getTime()) / 86_400_000) + 1;
  const [weekYear, week] = isoWeek(utc);

  const values: Record<string, string> = {
    year: String(year),
    month: pad2(month),
    day: pad2(day),
    hour: pad2(date.hour ?? 0),
    minute: pad2(date.minute ?? 0),
    second: pad2(date.second ?? 0),
    i_day: String(day),
    i_month: String(month),
    short_month: MONTHS[month - 1].slice(0, 3),
    long_month: MONTHS[month - 1],
    short_year: pad2(((year % 100) + 100) % 100),
    w_year: String(weekYear),
    week: pad2(week),
    w_day: String(isoWeekday),
    short_day: WEEKDAYS[weekday].slice(0, 3),
    long_day: WEEKDAYS[weekday],
    y_day: String(dayOfYear).padStart(3, '0'),
  };
  return values;
}

/** ISO 8601 week-numbering year and week (strftime `%G` and `%V`). */
function isoWeek(utc: Date): [number, number] {
  const thursday = new Date(utc.getTime());
  const isoWeekday = utc.getUTCDay() === 0 ? 7 : utc.getUTCDay();
  thursday.setUTCDate(utc.getUTCDate() + 4 - isoWeekday);
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - calendarDay(weekYear, 1, 1).getTime()) / 86_400_000 / 7) + 1;
  return [weekYear, week];
}

/** Midnight UTC of a calendar day, for any year (Date.UTC maps 0–99 to 19xx). */
function calendarDay(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

function extensionOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot);
}
