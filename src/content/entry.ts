import { parseContentDate, type FrontMatter } from '../../schemas/front-matter.ts';
import { parseFrontMatter, splitFrontMatter } from './front-matter.ts';
import { contentLimits } from './limits.ts';
import { titleFromSlug } from './page-text.ts';
import { normalizePermalink } from './permalink.ts';
import type { ContentProblem } from './problem.ts';
import { refusalProblem, type SafeFileReader } from './safe-file.ts';
import type { SiteRules, TemplateDocument } from './site-rules.ts';
import { validateFrontMatter } from './validate.ts';

/** Where a front-matter key sits in its file, for problems found after parsing (duplicates, redirects). */
export type FieldPositions = Record<'slug' | 'permalink' | 'redirect_from', { line: number; column: number }>;

/**
 * A file whose front matter is valid, with its identity settled, ready to render. Plain data
 * (no functions), so it can cross to a render worker and into the on-disk cache.
 */
export interface PageEntry {
  file: string;
  frontMatter: FrontMatter;
  body: string;
  bodyLine: number;
  slug: string;
  permalink: string;
  published: boolean;
  collection: string | null;
  /** ISO 8601 date, for posts and dated pages. */
  date: string | null;
  title: string | null;
  categories: string[];
  /** jekyll-redirect-from: where this stub sends readers, if it is one. */
  redirectTo: string | null;
  positions: FieldPositions;
  /** When the file last changed (ms since the epoch). */
  modified: number;
}

/** A source file as read: its text, or the problem that kept it from being read. */
export type SourceFile = { text: string; modified: number; size: number } | { problem: ContentProblem; modified: number; size: number };

/** Reads a content file through the safe reader, refusing files too large, out of the folder, or not UTF-8 text. */
export async function readSource(reader: SafeFileReader, file: string): Promise<SourceFile | null> {
  const result = await reader.read(file, contentLimits.maxFileBytes);
  if (!result.ok) {
    if (result.reason === 'missing') return null;
    return { modified: result.modified ?? 0, size: result.size ?? 0, problem: refusalProblem(result.reason, contentLimits.maxFileBytes, result.size) };
  }
  const { bytes, modified, size } = result;
  const text = bytes.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    return {
      modified, size,
      problem: {
        code: 'not-utf8-text', severity: 'error', line: 1, column: 1, field: null,
        message: 'file is not UTF-8 text',
        hint: 'Save the file as UTF-8.',
      },
    };
  }
  return { text, modified, size };
}

/** Splits, parses and validates one file's front matter and settles its identity under the site's rules. */
export function readEntry(rules: SiteRules, file: string, source: string, modified: number): { entry: PageEntry | null; problems: ContentProblem[] } {
  const split = splitFrontMatter(source);
  const parsed = parseFrontMatter(split.yaml, split.yamlLine);
  const facts = rules.describeFile(file);
  parsed.data = rules.withDefaults(file, facts, parsed.data);
  const validated = validateFrontMatter(parsed);
  const problems = [...parsed.problems, ...validated.problems];
  if (!validated.frontMatter || problems.some((p) => p.severity === 'error')) return { entry: null, problems };
  const frontMatter = validated.frontMatter;
  const document = rules.describeDocument(file, facts, frontMatter);
  return {
    problems,
    entry: {
      file,
      frontMatter,
      body: split.body,
      bodyLine: split.bodyLine,
      slug: frontMatter.slug ?? facts.slug,
      permalink: normalizePermalink(document.permalink),
      published: frontMatter.published !== false && document.publishable,
      collection: facts.collection,
      date: isoDate(frontMatter.date ?? facts.date),
      title: frontMatter.title ?? document.title,
      categories: document.categories,
      redirectTo: frontMatter.redirect_to ?? null,
      positions: {
        slug: validated.positionOf(['slug']),
        permalink: validated.positionOf(['permalink']),
        redirect_from: validated.positionOf(['redirect_from']),
      },
      modified,
    },
  };
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

/** A front-matter date as ISO 8601, or null. */
export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  return parseContentDate(value)?.toISOString() ?? null;
}
