import { parseContentDate, type FrontMatter } from '../../schemas/front-matter.ts';
import { MAX_IDENTIFIER_LENGTH, MAX_PATH_LENGTH } from '../../schemas/identifier.ts';
import { LayoutFilterSchema } from '../../schemas/query.ts';
import { emptyTitleOf } from './checks/empty-title.ts';
import type { FilePosition } from '../model/page-facts.ts';
import { contentFormatOf } from './discover.ts';
import { parseFrontMatter, splitFrontMatter } from './front-matter.ts';
import { withSafeLinks } from './front-matter-links.ts';
import { listedTerms } from './listed-terms.ts';
import { contentLimits } from './limits.ts';
import { titleFromSlug } from './page-text.ts';
import { normalizePermalink } from '../model/permalink.ts';
import type { ContentProblem } from '../model/problem.ts';
import { readInsideSync, refusalProblem, type FileRead, type SafeFileReader } from './safe-file.ts';
import { decodeUtf8, notUtf8Problem } from './utf8-text.ts';
import type { FileFacts, SiteRules, TemplateDocument } from './site-rules.ts';
import { validateFrontMatter } from './validate.ts';
import { hash } from './load/hash.ts';

/** Where a front-matter key sits in its file, for problems found after parsing (duplicates, redirects). */
export type FieldPositions = Record<'slug' | 'permalink' | 'redirect_from', { line: number; column: number }>;

/**
 * A file whose front matter is valid, with its identity settled. Plain data (no functions), so it
 * can cross to a render worker and into the on-disk cache. Its body is not part of it: the body
 * is only needed to render the page, and kept for every page it was a second copy of the site's
 * text on the heap (40 MB at 10,000 pages). A render reads it again (see {@link RenderSource}).
 */
export interface PageEntry {
  file: string;
  frontMatter: FrontMatter;
  /** Line of the file where the body starts. */
  bodyLine: number;
  /** Whether the body's templates read the other pages or the site's settings (see SiteRules.templateDependsOnSite). */
  bodyUsesSite: boolean;
  /** `html` for `.html` pages: their body (after Liquid) is sanitized as HTML, with no markdown. */
  format: 'markdown' | 'html';
  slug: string;
  permalink: string;
  published: boolean;
  collection: string | null;
  /** ISO 8601 date, for posts and dated pages. */
  date: string | null;
  title: string | null;
  /** The categories and tags the page is listed under: each one a route can serve (see listedTerms). */
  categories: string[];
  tags: string[];
  /** The layout the page is listed with (its front matter's, defaults included), or null: one the `layout` filter takes (see listedLayout). */
  layout: string | null;
  /** jekyll-redirect-from: where this stub sends readers, if it is one. */
  redirectTo: string | null;
  positions: FieldPositions;
  /** Where the front matter as written sets `title` to nothing (for the content checks), or null. */
  emptyTitle: FilePosition | null;
  /** When the file last changed (ms since the epoch). */
  modified: number;
  /**
   * Names everything rendering the page reads of it (see {@link entryRenderKey}): a new version of
   * the file that keeps it renders as the last one did, and is not rendered again.
   */
  renderKey: string;
}

/**
 * An entry with its body (the text after the front matter): what a render needs. The entry is
 * the loader's own, not a copy with the body added: a load holds one of these per page through
 * its render, and on Node 20 an object spread of an entry gave each copy a hidden class of its
 * own (about 0.8 KB a page on the main thread's heap).
 */
export interface PageSource {
  entry: PageEntry;
  body: string;
}

/**
 * An entry whose body stays in its file until its render: the render worker reads the file again
 * and renders it only if it still holds the text the entry was read from. A load that kept every
 * body for its renders held the site's text on the main thread's heap while they ran (42 MB of
 * 10,000 seed-sized pages, through a first start's render).
 */
export interface PageInFile {
  entry: PageEntry;
  /** The content key of the text the entry was read from (see {@link contentKey}), the rules it was read under, and the file's size then. */
  inFile: { key: string; rulesKey: string; bytes: number };
}

/** A page to render: with its body, or with the file its body is read from. */
export type RenderSource = PageSource | PageInFile;

/** A source file as read: its text, or the problem that kept it from being read. */
export type SourceFile = { text: string; modified: number; size: number } | { problem: ContentProblem; modified: number; size: number };

/**
 * A content file's text as the main thread read it (through the safe reader), to be parsed by
 * {@link readEntry}, on a render worker when there are many.
 */
export interface SourceText {
  file: string;
  text: string;
  modified: number;
}

/** Reads a content file through the safe reader, refusing files too large, out of the folder, or not UTF-8 text. */
export async function readSource(reader: SafeFileReader, file: string): Promise<SourceFile | null> {
  return sourceOf(await reader.read(file, contentLimits.maxFileBytes));
}

/** {@link readSource} without waiting (see readInsideSync): for a render worker, reading a body again. */
export function readSourceSync(root: string, file: string): SourceFile | null {
  return sourceOf(readInsideSync(root, file, contentLimits.maxFileBytes));
}

function sourceOf(result: FileRead): SourceFile | null {
  if (!result.ok) {
    if (result.reason === 'missing') return null;
    return { modified: result.modified ?? 0, size: result.size ?? 0, problem: refusalProblem(result.reason, contentLimits.maxFileBytes, result.size) };
  }
  const { bytes, modified, size } = result;
  const { text, break: notUtf8 } = decodeUtf8(bytes);
  if (notUtf8) return { modified, size, problem: notUtf8Problem(notUtf8, 'the page is left out') };
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = 1 + (text.slice(0, nul).match(/\n/g)?.length ?? 0);
    return {
      modified, size,
      problem: {
        code: 'not-utf8-text', severity: 'error', line, column: nul - text.lastIndexOf('\n', nul - 1), field: null,
        message: `file holds a NUL byte at line ${line}: it is binary data, not text, so the file is left out`,
        hint: 'Save the file as UTF-8 text; keep binary files (images, archives) out of pages.',
      },
    };
  }
  return { text, modified, size };
}

/**
 * The front-matter keys that decide whether a page is public: set more than once, they are an
 * error, and the page is public only if every occurrence makes it so.
 */
export const VISIBILITY_KEYS: readonly string[] = ['published', 'date'];

/** Errors that leave the page loaded (as a draft, or without the refused link) rather than out. */
const NON_BLOCKING_ERRORS: ReadonlySet<string> = new Set(['duplicate-visibility-key']);

/** What reading one file's front matter gave. */
export interface ReadEntry {
  entry: PageEntry | null;
  problems: ContentProblem[];
  /**
   * The file is, or may be, a draft: a page that is not public, or a file whose front matter
   * could not be read (it may say `published: false`). Its problems are shown to preview only.
   */
  draft: boolean;
}

/** Splits, parses and validates one file's front matter and settles its identity under the site's rules. */
export function readEntry(rules: SiteRules, file: string, source: string, modified: number, rulesKey: string): ReadEntry {
  const split = splitFrontMatter(source);
  if (split.unclosed) {
    return {
      entry: null,
      draft: true,
      problems: [{
        code: 'front-matter-unclosed', severity: 'error', line: 1, column: 1, field: null,
        message: 'the front matter opened by --- on line 1 is never closed, so its settings (published: false among them) cannot be read and nothing of the file is served',
        hint: 'Add a --- line after the last front-matter line, or remove the --- on line 1 if the file has no front matter.',
      }],
    };
  }
  const format = contentFormatOf(file);
  // An HTML file without front matter is a static file to Jekyll (an asset, a Google verification page), not a page.
  if (format === 'html' && !split.hasFrontMatter) return { entry: null, problems: [], draft: false };
  const parsed = parseFrontMatter(split.yaml, split.yamlLine, { strictKeys: VISIBILITY_KEYS });
  const emptyTitle = emptyTitleOf(parsed);
  const facts = rules.describeFile(file);
  const written = parsed.data;
  parsed.data = rules.withDefaults(file, facts, parsed.data);
  const validated = validateFrontMatter(parsed);
  const problems = [...parsed.problems, ...validated.problems];
  const blocking = (p: ContentProblem) => p.severity === 'error' && !NON_BLOCKING_ERRORS.has(p.code);
  // Unreadable front matter may be a draft's; readable front matter says whether the page is meant to be public.
  if (parsed.problems.some(blocking)) return { entry: null, problems, draft: true };
  if (!validated.frontMatter || problems.some(blocking)) return { entry: null, problems, draft: !meantPublic(rules, file, facts, parsed.data, parsed.repeated) };
  const links = withSafeLinks(validated.frontMatter, validated.positionOf);
  problems.push(...links.problems);
  const frontMatter = links.frontMatter;
  const document = rules.describeDocument(file, facts, frontMatter);
  const published = meantPublic(rules, file, facts, frontMatter, parsed.repeated);
  // A redirect stub whose target was refused has nowhere to send readers: it is not served.
  if (links.redirectRemoved) return { entry: null, problems, draft: !published };
  // A page no route could be asked for by its slug is not listed as if it could.
  const slug = frontMatter.slug ?? facts.slug;
  if (slug.length > MAX_IDENTIFIER_LENGTH) {
    problems.push({
      code: 'slug-too-long', severity: 'error', line: 1, column: 1, field: null,
      message: `the slug this file's name gives is ${slug.length} characters long; routes take slugs of at most ${MAX_IDENTIFIER_LENGTH}, so the page is left out`,
      hint: 'Give the file a shorter name, or the page a shorter slug in its front matter (slug: ...).',
    });
    return { entry: null, problems, draft: !published };
  }
  // Nor one whose permalink no route takes: /v1/resolve could never find it, nor an export write it.
  const permalink = normalizePermalink(document.permalink);
  if (permalink.length > MAX_PATH_LENGTH) {
    problems.push({
      code: 'permalink-too-long', severity: 'error', ...validated.positionOf(['permalink']), field: 'permalink',
      message: `the permalink is ${permalink.length} characters long; /v1/resolve takes site paths of at most ${MAX_PATH_LENGTH}, so the page is left out`,
      hint: 'Give the page a shorter permalink.',
    });
    return { entry: null, problems, draft: !published };
  }
  const terms = listedTerms(file, written, frontMatter, document.categories, validated.positionOf);
  problems.push(...terms.problems);
  const layout = listedLayout(frontMatter.layout, 'layout' in written, validated.positionOf);
  if (layout.problem) problems.push(layout.problem);
  const entry: PageEntry = {
    file,
    frontMatter,
    bodyLine: split.bodyLine,
    bodyUsesSite: rules.templateDependsOnSite?.(split.body) ?? false,
    format,
    slug,
    permalink,
    published,
    collection: facts.collection,
    date: isoDate(frontMatter.date ?? facts.date),
    title: titleAsShown(rules, frontMatter.title ?? document.title),
    categories: terms.categories,
    tags: terms.tags,
    layout: layout.listed,
    redirectTo: frontMatter.redirect_to ?? null,
    positions: {
      slug: validated.positionOf(['slug']),
      permalink: validated.positionOf(['permalink']),
      redirect_from: validated.positionOf(['redirect_from']),
    },
    emptyTitle,
    modified,
    renderKey: '',
  };
  entry.renderKey = entryRenderKey(rulesKey, entry, split.body, rules.createTemplating !== undefined);
  return { problems, draft: !published, entry };
}

/**
 * The key of a page's render: the site's rules (and the renderer's code), the body, and what the
 * render reads of the entry besides (createPageRenderer): where the body starts (problems' lines),
 * its format, file and permalink (links and images resolve from them), whether it is published
 * (a draft's broken links are not problems), where its title is empty (a check's fact), and, on a
 * site with templates, the document its Liquid sees, when the body has Liquid markup (Liquid
 * reads `page` only through its tags and outputs; text without them comes out as it went in). An
 * edit of anything else in the front matter (the title, tags, a date, a description) keeps the
 * render: a live edit of them renders nothing. A body whose templates read the other pages is
 * keyed with them too, by the loader (load/render.ts).
 */
export function entryRenderKey(rulesKey: string, entry: PageEntry, body: string, templating: boolean): string {
  const { file, format, bodyLine, permalink, published, emptyTitle } = entry;
  const document = templating && LIQUID_MARKUP.test(body) ? templateDocument(entry) : null;
  return hash(rulesKey, JSON.stringify([file, format, bodyLine, permalink, published, emptyTitle, document]), body);
}

/** Where Liquid begins a tag or an output: `{%` or `{{` (whitespace control, `{%-` and `{{-`, included). */
const LIQUID_MARKUP = /\{[{%]/;

/**
 * Whether front matter (validated or not) makes its page public under the site's rules, each
 * value of a repeated visibility key read on its own: public only if every one of them is.
 */
function meantPublic(rules: SiteRules, file: string, facts: FileFacts, frontMatter: Record<string, unknown>, repeated: Record<string, unknown[]>): boolean {
  const isPublic = (data: Record<string, unknown>) => {
    try {
      return data.published !== false && rules.describeDocument(file, facts, data).publishable;
    } catch {
      // Front matter too broken to describe: not known to be public.
      return false;
    }
  };
  return isPublic(frontMatter) && Object.entries(repeated).every(([key, values]) => values.every((value) => {
    if (key === 'published' && value !== true) return false;
    return isPublic({ ...frontMatter, [key]: value });
  }));
}

/** A title as the site's plugins show it (jemoji's emoji), or null. */
function titleAsShown(rules: SiteRules, title: string | null): string | null {
  return title !== null && rules.transformTitle ? rules.transformTitle(title) : title;
}

/** The page as templates see it (Jekyll's `page`, and an item of `site.posts`). */
export function templateDocument(entry: PageEntry): TemplateDocument {
  return {
    file: entry.file,
    collection: entry.collection,
    url: entry.permalink,
    date: entry.date,
    frontMatter: entry.frontMatter,
    title: entry.title ?? titleFromSlug(entry.slug),
  };
}

/** The body of a page file's text, as {@link readEntry} split it. */
export function bodyOfSource(text: string): string {
  return splitFrontMatter(text).body;
}

/** The key of everything derived from a file: its path and text, under the site's rules. */
export function contentKey(rulesKey: string, file: string, text: string): string {
  return hash(rulesKey, file, text);
}

/** The size a render budget is taken from (see budgetFor): the body's bytes, or its file's. */
export function bytesToRender(source: RenderSource): number {
  return 'body' in source ? Buffer.byteLength(source.body) : source.inFile.bytes;
}

/**
 * The source with its body: its own, or its file's, read (see readSourceSync) and checked against
 * the content key the entry was read from. Undefined when the file is gone, unreadable or
 * holds another text (the load its change starts renders that).
 */
export function withBody(source: RenderSource, readSource: (file: string) => SourceFile | null): PageSource | undefined {
  if ('body' in source) return source;
  const { entry, inFile } = source;
  const read = readSource(entry.file);
  if (!read || 'problem' in read || contentKey(inFile.rulesKey, entry.file, read.text) !== inFile.key) return undefined;
  return { entry, body: bodyOfSource(read.text) };
}

/** The problem of a page to render whose file no longer holds the text it was loaded with. */
export function textUnavailable(): ContentProblem {
  return {
    code: 'page-text-unavailable', severity: 'error', line: 1, column: 1, field: null,
    message: 'the page had to be read again from its file to be rendered, but the file no longer holds the text the page was loaded with (changed since, or lost while the file has errors), so the page is left out',
    hint: 'Save the file again, or fix its errors: the next load reads and renders it.',
  };
}

/** A front-matter date as ISO 8601, or null. */
export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  return parseContentDate(value)?.toISOString() ?? null;
}

/**
 * The entry with the file's own modification time: the cached entry may come from the same text
 * read at another time. Copied only when the times differ (an entry is never changed in place):
 * a warm start at 10,000 pages copies none.
 */
export function withModified(entry: PageEntry, modified: number): PageEntry {
  return entry.modified === modified ? entry : { ...entry, modified };
}

/**
 * The layout a page is listed with: the front matter's (defaults included) when the `layout`
 * filter of /v1/pages and /v1/search takes it, or else null, with a `layout-not-routable` warning
 * at the `layout` key (line 1 when it comes from the defaults of _config.yml): no list names a
 * layout its filter refuses (the rule of schemas/identifier.ts). The front matter keeps it as written.
 */
function listedLayout(
  layout: string | undefined,
  written: boolean,
  positionOf: (path: readonly PropertyKey[]) => { line: number; column: number },
): { listed: string | null; problem?: ContentProblem } {
  // An empty layout (no layout, to Jekyll) is listed as written, as it always was.
  if (layout === undefined || layout === '' || LayoutFilterSchema.safeParse(layout).success) return { listed: layout ?? null };
  const shown = layout.length > 60 ? `${layout.slice(0, 60)}…` : layout;
  return {
    listed: null,
    problem: {
      code: 'layout-not-routable', severity: 'warning', ...(written ? positionOf(['layout']) : { line: 1, column: 1 }), field: 'layout',
      message:
        `the layout "${shown}" is ${layout.length} characters long, and /v1/pages?layout= takes at most ${MAX_IDENTIFIER_LENGTH}, ` +
        `so the page is listed without a layout${written ? '' : ' (it comes from the front-matter defaults of _config.yml)'}`,
      hint: `Give the layout a name of at most ${MAX_IDENTIFIER_LENGTH} characters${written ? '' : ' in the defaults of _config.yml'}.`,
    },
  };
}
