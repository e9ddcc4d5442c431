import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import type { FaqEntry } from '../../schemas/faq.ts';
import { parseContentDate, type FrontMatter } from '../../schemas/front-matter.ts';
import type { NavAction } from '../../schemas/navigation.ts';
import type { Component, Page, PageSummary } from '../../schemas/page.ts';
import { extractFaq } from '../markdown/faq.ts';
import { createMarkdownRenderer, RENDERER_VERSION } from '../markdown/render.ts';
import type { LinkResolution } from '../markdown/rehype-page-links.ts';
import { outlinePage, toPlainSection, walkSections } from '../markdown/sections.ts';
import { discoverContent } from './discover.ts';
import { parseFrontMatter, splitFrontMatter } from './front-matter.ts';
import { contentLimits } from './limits.ts';
import { normalizePermalink, permalinkKey, withoutBaseUrl } from './permalink.ts';
import { plainFolderRules, type SiteRules, type TemplateDocument } from './site-rules.ts';
import { loadJekyllRules } from '../jekyll/site-rules.ts';
import type { ContentProblem } from './problem.ts';
import type { ContentView, PageRecord, Snapshot } from './snapshot.ts';
import { validateFrontMatter } from './validate.ts';
import { excerptOf, titleFromSlug } from './page-text.ts';
import { HTML_CONTENT_TYPE, JSON_CONTENT_TYPE, represent } from '../http/representation.ts';
import { createResponseCache } from './response-cache.ts';

/** A file whose front matter is valid, with its identity settled, before rendering. */
interface PageEntry {
  file: string;
  frontMatter: FrontMatter;
  body: string;
  bodyLine: number;
  slug: string;
  permalink: string;
  published: boolean;
  collection: string | null;
  date: string | null;
  title: string | null;
  categories: string[];
  /** jekyll-redirect-from: where this stub sends readers, if it is one. */
  redirectTo: string | null;
  positionOf: (path: readonly PropertyKey[]) => { line: number; column: number };
  modified: Date;
}

/**
 * Loads a content folder into a {@link Snapshot}: discover → read → split front matter → parse
 * YAML → validate → render → index. Never throws on content: every problem becomes a diagnostic,
 * a page with errors is left out alone, and every good page is kept.
 */
export async function loadContent(dir: string): Promise<Snapshot> {
  const root = path.resolve(dir);
  const rules = await loadSiteRules(root);
  const diagnostics: Diagnostic[] = [...rules.diagnostics];
  const report = (file: string, problems: ContentProblem[]) => diagnostics.push(...problems.map((p) => ({ file, ...p })));
  const versionHash = createHash('sha256').update(`renderer:${RENDERER_VERSION}\n${JSON.stringify(rules.settings)}\n${JSON.stringify(rules.data)}\n`);

  const entries: PageEntry[] = [];
  for (const file of await discoverContent(root, rules.isContentFile)) {
    const source = await readSource(root, file);
    if ('code' in source) {
      report(file, [source]);
      continue;
    }
    versionHash.update(`${file}\n${source.text}\n`);
    const { entry, problems } = readEntry(rules, file, source.text, source.modified);
    report(file, problems);
    if (entry) entries.push(entry);
  }

  const stubs = entries.filter((entry) => entry.redirectTo !== null);
  const accepted = rejectDuplicates(entries.filter((entry) => entry.redirectTo === null), report);
  const published = accepted.filter((entry) => entry.published);
  const redirects = collectRedirects(published, stubs.filter((stub) => stub.published), report);
  const resolver = createLinkResolver(published, redirects, rules.baseUrl);
  const renderMarkdown = createMarkdownRenderer({ resolveLink: resolver.resolveLink, remarkPlugins: rules.remarkPlugins });
  const renderTemplates = rules.createTemplating?.(published.map(templateDocument));

  const records: PageRecord[] = [];
  for (const entry of accepted) {
    try {
      let body = entry.body;
      let components: Component[] = [];
      if (renderTemplates) {
        const templated = await renderTemplates(body, templateDocument(entry));
        body = templated.text;
        components = templated.components.map((component) => ({ ...component, line: component.line + entry.bodyLine - 1 }));
        report(entry.file, templated.problems.map((p) => ({ ...p, line: p.line + entry.bodyLine - 1 })));
      }
      const rendered = await renderMarkdown({ body, bodyLine: entry.bodyLine, page: entry });
      // Broken links only matter for what readers see; a draft may link to pages not yet written.
      report(entry.file, entry.published ? rendered.problems : rendered.problems.filter((p) => p.code !== 'broken-link'));
      records.push(buildRecord(entry, rendered, resolver, components));
    } catch (error) {
      report(entry.file, [{
        code: 'render-failed', severity: 'error', line: entry.bodyLine, column: 1, field: null,
        message: `the page body could not be rendered (${(error as Error).name})`,
        hint: 'Look for extremely deep nesting (lists, quotes) or a very long line in the body.',
      }]);
    }
  }

  return {
    version: versionHash.digest('hex').slice(0, 16),
    loadedAt: new Date(),
    published: buildView(records.filter((record) => record.published), redirects),
    preview: buildView(records, redirects),
    diagnostics: diagnostics.sort(byFileAndLine),
    baseUrl: rules.baseUrl,
    site: rules.settings,
  };
}

/** A folder with a Jekyll _config.yml follows Jekyll's rules; any other folder is plain pages. */
async function loadSiteRules(root: string): Promise<SiteRules> {
  return (await loadJekyllRules(root)) ?? plainFolderRules;
}

async function readSource(root: string, file: string): Promise<{ text: string; modified: Date } | ContentProblem> {
  const absolute = path.join(root, file);
  const { size, mtime } = await stat(absolute);
  if (size > contentLimits.maxFileBytes) {
    return {
      code: 'file-too-large', severity: 'error', line: 1, column: 1, field: null,
      message: `file is ${Math.round(size / 1024)} KB; pages are capped at ${contentLimits.maxFileBytes / 1024} KB`,
      hint: 'Split the page, or move large data into _data files and assets.',
    };
  }
  const bytes = await readFile(absolute);
  const text = bytes.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    return {
      code: 'not-utf8-text', severity: 'error', line: 1, column: 1, field: null,
      message: 'file is not UTF-8 text',
      hint: 'Save the file as UTF-8.',
    };
  }
  return { text, modified: mtime };
}

function readEntry(rules: SiteRules, file: string, source: string, modified: Date): { entry: PageEntry | null; problems: ContentProblem[] } {
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
      date: frontMatter.date ?? facts.date,
      title: frontMatter.title ?? document.title,
      categories: document.categories,
      redirectTo: frontMatter.redirect_to ?? null,
      positionOf: validated.positionOf,
      modified,
    },
  };
}

function templateDocument(entry: PageEntry): TemplateDocument {
  return {
    file: entry.file,
    collection: entry.collection,
    url: entry.permalink,
    date: isoDate(entry.date ?? undefined),
    frontMatter: entry.frontMatter,
    title: entry.title ?? titleFromSlug(entry.slug),
  };
}

/**
 * jekyll-redirect-from: a stub with `redirect_to` sends its permalink elsewhere, and a page's
 * `redirect_from` paths send readers to the page. A redirect never shadows a page.
 */
function collectRedirects(pages: PageEntry[], stubs: PageEntry[], report: (file: string, problems: ContentProblem[]) => void): Map<string, string> {
  const redirects = new Map<string, string>();
  const pageByKey = new Map(pages.map((entry) => [permalinkKey(entry.permalink), entry]));
  const add = (entry: PageEntry, from: string, to: string, field: string) => {
    const key = permalinkKey(from);
    // `/about/` redirecting to `/about.html` is the same page here: nothing to redirect.
    if (pageByKey.get(key) === entry) return;
    if (pageByKey.has(key)) {
      report(entry.file, [{
        code: 'redirect-shadows-page', severity: 'warning', ...entry.positionOf([field]), field,
        message: `the redirect from ${from} is ignored: a page is served there`,
        hint: `Remove ${from} from ${field}, or move the page.`,
      }]);
      return;
    }
    redirects.set(key, to);
  };
  for (const stub of stubs) add(stub, stub.permalink, stub.redirectTo!, 'permalink');
  for (const entry of pages) {
    const from = entry.frontMatter.redirect_from;
    for (const path of from === undefined ? [] : Array.isArray(from) ? from : [from]) add(entry, path, entry.permalink, 'redirect_from');
  }
  return redirects;
}

/** Two pages may not share a slug or a permalink: the second one (in path order) is left out, naming the first. */
function rejectDuplicates(entries: PageEntry[], report: (file: string, problems: ContentProblem[]) => void): PageEntry[] {
  const accepted: PageEntry[] = [];
  // Published pages claim slugs and permalinks first, so a draft can never push a live page out.
  const ordered = [...entries].sort((a, b) => Number(b.published) - Number(a.published));
  const slugs = new Map<string, PageEntry>();
  const permalinks = new Map<string, PageEntry>();
  for (const entry of ordered) {
    const sameSlug = slugs.get(entry.slug);
    const samePermalink = permalinks.get(permalinkKey(entry.permalink));
    const clash = sameSlug
      ? { code: 'duplicate-slug', field: 'slug', what: `slug "${entry.slug}"`, other: sameSlug }
      : samePermalink
        ? { code: 'duplicate-permalink', field: 'permalink', what: `permalink ${entry.permalink}`, other: samePermalink }
        : null;
    if (clash) {
      report(entry.file, [{
        code: clash.code, severity: 'error', ...entry.positionOf([clash.field]), field: clash.field,
        message: `${entry.file} and ${clash.other.file} have the same ${clash.what}; ${entry.file} is left out`,
        hint: `Give one of them another ${clash.field} in its front matter.`,
      }]);
      continue;
    }
    slugs.set(entry.slug, entry);
    permalinks.set(permalinkKey(entry.permalink), entry);
    accepted.push(entry);
  }
  return accepted.sort((a, b) => a.file.localeCompare(b.file));
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
const PAGE_LIKE = /(?:\.html?|\.md|\.markdown|\/)$|^[^.]*$/i;

/** Resolves links and action URLs written in pages against the published pages' permalinks and files. */
function createLinkResolver(pages: PageEntry[], redirects: ReadonlyMap<string, string>, baseUrl: string) {
  const byKey = new Map(pages.map((entry) => [permalinkKey(entry.permalink), entry]));
  // A link to a redirected path reaches the redirect's target page (or leaves the site).
  for (const [from, to] of redirects) {
    const target = byKey.get(permalinkKey(to));
    if (target && !byKey.has(from)) byKey.set(from, target);
  }
  const redirected = new Set(redirects.keys());
  const byFile = new Map(pages.map((entry) => [entry.file, entry]));

  /** The page an href points at, seen from a page at `fromPermalink` in `fromFile`. */
  function findPage(href: string, from: { file: string; permalink: string }): PageEntry | 'not-a-page' | null {
    if (EXTERNAL.test(href) || href.startsWith('#') || href === '') return 'not-a-page';
    const [target] = href.split(/[?#]/);
    if (/\.(md|markdown)$/i.test(target)) {
      const file = path.posix.normalize(path.posix.join(path.posix.dirname(from.file), target));
      return byFile.get(file) ?? null;
    }
    const absolute = withoutBaseUrl(new URL(target, `https://site.invalid${from.permalink}`).pathname, baseUrl);
    if (!PAGE_LIKE.test(absolute)) return 'not-a-page';
    const key = permalinkKey(absolute);
    return byKey.get(key) ?? (redirected.has(key) ? 'not-a-page' : null);
  }

  function resolveLink(href: string, file: { data: Record<string, unknown> }): LinkResolution {
    const from = file.data.page as { file: string; permalink: string };
    const found = findPage(href, from);
    if (found === 'not-a-page') return { kind: 'external' };
    if (!found) return { kind: 'missing' };
    const fragment = href.includes('#') ? href.slice(href.indexOf('#')) : '';
    return { kind: 'page', href: found.permalink + fragment };
  }

  return { findPage, resolveLink };
}

function buildRecord(
  entry: PageEntry,
  rendered: Awaited<ReturnType<ReturnType<typeof createMarkdownRenderer>>>,
  resolver: ReturnType<typeof createLinkResolver>,
  components: Component[],
): PageRecord {
  const { frontMatter } = entry;
  const outline = outlinePage(rendered.tree);
  const firstHeading = outline.toc.find((heading) => heading.level === 1)?.title;
  const summary: PageSummary = {
    slug: entry.slug,
    title: entry.title ?? firstHeading ?? titleFromSlug(entry.slug),
    permalink: entry.permalink,
    layout: frontMatter.layout ?? null,
    excerpt: frontMatter.excerpt ?? excerptOf(rendered.tree),
    date: isoDate(entry.date ?? undefined),
    last_modified: isoDate(frontMatter.last_modified),
    collection: entry.collection,
    categories: entry.categories.length > 0 ? entry.categories : listOf(frontMatter.categories ?? frontMatter.category),
    tags: listOf(frontMatter.tags),
  };
  const actions: NavAction[] = (frontMatter.header?.actions ?? []).map((action) => {
    const target = resolver.findPage(action.url, entry);
    const internal = target !== 'not-a-page';
    return {
      label: action.label,
      url: target && target !== 'not-a-page' ? target.permalink : action.url,
      internal,
      slug: target && target !== 'not-a-page' ? target.slug : null,
      page: entry.slug,
    };
  });
  const page: Page = {
    ...summary,
    front_matter: frontMatter,
    html: rendered.html,
    sections: outline.sections.map(toPlainSection),
    toc: outline.toc,
    faq: extractFaq(outline.sections, entry),
    actions,
    components,
  };
  return {
    file: entry.file,
    page,
    summary,
    modified: entry.modified,
    json: represent(JSON.stringify(page), JSON_CONTENT_TYPE, entry.modified),
    html: represent(page.html, HTML_CONTENT_TYPE, entry.modified),
    outline: outline.sections,
    sectionsById: new Map([...walkSections(outline.sections)].map((section) => [section.id, section])),
    published: entry.published,
  };
}

function buildView(records: PageRecord[], redirects: ReadonlyMap<string, string>): ContentView {
  const pages = [...records].sort((a, b) => a.summary.slug.localeCompare(b.summary.slug));
  const faq: FaqEntry[] = pages.flatMap((record) => record.page.faq);
  const navigation: NavAction[] = pages.flatMap((record) => record.page.actions);
  return {
    pages,
    bySlug: new Map(pages.map((record) => [record.summary.slug, record])),
    byPermalink: new Map(pages.map((record) => [permalinkKey(record.summary.permalink), record])),
    redirects,
    faq,
    navigation,
    modified: new Date(Math.max(0, ...pages.map((record) => record.modified.getTime()))),
    responses: createResponseCache(),
  };
}

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  return parseContentDate(value)?.toISOString() ?? null;
}

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).filter(Boolean);
}

function byFileAndLine(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
