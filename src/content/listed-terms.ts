import type { FrontMatter } from '../../schemas/front-matter.ts';
import { MAX_IDENTIFIER_LENGTH } from '../../schemas/identifier.ts';
import { TermNameSchema, TermSlugSchema } from '../../schemas/taxonomy.ts';
import type { ContentProblem } from '../model/problem.ts';
import { termSlug } from '../model/term-slug.ts';
import { formatFieldPath } from './locate.ts';

/** The categories and tags a page is listed under, and why any other was left out. */
export interface ListedTerms {
  categories: string[];
  tags: string[];
  problems: ContentProblem[];
}

type Taxonomy = 'categories' | 'tags';

/**
 * The terms of a page that /v1/categories and /v1/tags may list: those whose name the list filter
 * takes (`?category=`, the term's `pages` link) and whose slug the term routes take, tested
 * against those routes' own schemas (the rule of schemas/identifier.ts). Any other is a
 * `term-not-routable` warning at the front-matter item that gives it, and is left out of the
 * page's `categories` or `tags`, so no list names it. `categories` are the page's as the site
 * rules give them (Jekyll adds the folders above `_posts`), or else those of its front matter;
 * `written` is the front matter as the file has it (no defaults), where each warning points.
 */
export function listedTerms(
  file: string,
  written: Record<string, unknown>,
  frontMatter: FrontMatter,
  categories: readonly string[],
  positionOf: (path: readonly PropertyKey[]) => { line: number; column: number },
): ListedTerms {
  const problems: ContentProblem[] = [];
  const routable = (taxonomy: Taxonomy) => (name: string) => {
    const slug = termSlug(name);
    if (TermNameSchema.safeParse(name).success && TermSlugSchema.safeParse(slug).success) return true;
    const path = sourceOf(written, taxonomy, name);
    const source: TermSource = path ? { path, ...positionOf(path) } : fromFolder(file, name) ? 'folder' : 'defaults';
    problems.push(notRoutableProblem(taxonomy, name, slug, source));
    return false;
  };
  const pageCategories = categories.length > 0 ? categories : listOf(frontMatter.categories ?? frontMatter.category);
  return {
    categories: pageCategories.filter(routable('categories')),
    tags: listOf(frontMatter.tags).filter(routable('tags')),
    problems,
  };
}

/** A string is a space-separated list, as Jekyll reads `categories` and `tags`. */
function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).filter(Boolean);
}

/** The field path of the written front matter that gives the term `name`, or null when none does. */
function sourceOf(written: Record<string, unknown>, taxonomy: Taxonomy, name: string): PropertyKey[] | null {
  const keys = taxonomy === 'tags' ? ['tags'] : ['categories', 'category'];
  for (const key of keys) {
    const value = written[key];
    if (typeof value === 'string' && listOf(value).includes(name)) return [key];
    if (Array.isArray(value)) {
      const index = value.findIndex((item) => String(item) === name);
      if (index >= 0) return [key, index];
    }
  }
  return null;
}

/** Whether `name` is a folder above `_posts` in `file`'s path, which Jekyll makes a category of its posts. */
function fromFolder(file: string, name: string): boolean {
  const parts = file.split('/');
  const postsAt = parts.indexOf('_posts');
  return postsAt > 0 && parts.slice(0, postsAt).includes(name);
}

/** Where a term comes from: an item of the written front matter, a folder above `_posts`, or the site's front-matter defaults. */
type TermSource = { path: PropertyKey[]; line: number; column: number } | 'folder' | 'defaults';

function notRoutableProblem(taxonomy: Taxonomy, name: string, slug: string, source: TermSource): ContentProblem {
  const one = taxonomy === 'tags' ? 'tag' : 'category';
  const why =
    name.length > MAX_IDENTIFIER_LENGTH
      ? `its name is ${name.length} characters long, and /v1/pages?${one}= takes at most ${MAX_IDENTIFIER_LENGTH}`
      : slug.length > MAX_IDENTIFIER_LENGTH
        ? `its slug is ${slug.length} characters long, and /v1/${taxonomy}/{slug} takes at most ${MAX_IDENTIFIER_LENGTH}`
        : `its slug is "${slug}", which a URL cannot carry as a path segment`;
  const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  const message = `the ${one} "${shown}" is left out of the page's ${taxonomy} and of /v1/${taxonomy}: ${why}`;
  const shorten = `at most ${MAX_IDENTIFIER_LENGTH} characters, with a letter or digit`;
  if (source === 'folder') {
    return {
      code: 'term-not-routable', severity: 'warning', line: 1, column: 1, field: null,
      message: `${message} (it is the name of a folder above _posts)`,
      hint: `Rename the folder to ${shorten}, or move the post out of it.`,
    };
  }
  if (source === 'defaults') {
    return {
      code: 'term-not-routable', severity: 'warning', line: 1, column: 1, field: taxonomy,
      message: `${message} (it comes from the front-matter defaults of _config.yml)`,
      hint: `Shorten it in the defaults of _config.yml to ${shorten}.`,
    };
  }
  return {
    code: 'term-not-routable', severity: 'warning', line: source.line, column: source.column, field: formatFieldPath(source.path),
    message,
    hint: `Shorten the ${one} to ${shorten}.`,
  };
}
