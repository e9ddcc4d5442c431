import { createHash } from 'node:crypto';
import path from 'node:path';
import picomatch from 'picomatch';
import { parseContentDate } from '../../schemas/front-matter.ts';
import type { FileFacts, SiteRules, TemplateDocument } from '../content/site-rules.ts';
import { titleFromSlug } from '../content/page-text.ts';
import { remarkKramdownHtml } from '../markdown/remark-kramdown-html.ts';
import { remarkKramdownIal } from '../markdown/remark-kramdown-ial.ts';
import { remarkKramdownMarkdownInHtml } from '../markdown/remark-kramdown-markdown-in-html.ts';
import { readNavigationFile } from '../content/navigation-file.ts';
import { contentLimits } from '../content/limits.ts';
import { createSafeFileReader, type SafeFileReader } from '../content/safe-file.ts';
import { UNWALKED_FOLDERS } from '../content/discover.ts';
import { listSiteFolder, readSiteFile } from '../content/site-files.ts';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { applyDefaults } from './defaults.ts';
import { feedSettings } from '../discovery/feed.ts';
import { emojify, rehypeJemoji } from './jemoji.ts';
import { documentUrl, pageUrl, postInfoFromFilename, type CalendarDate } from './permalink.ts';
import { readJekyllSite, type JekyllCollection, type JekyllSite } from './site-config.ts';
import { publicSiteSettings } from './site-settings.ts';

const DEFAULT_MARKDOWN_EXT = 'markdown,mkdown,mkdn,mkd,mdown,md';
/** HTML files are pages when they have front matter (Jekyll copies the others as static files). */
const HTML_EXTENSIONS = ['.html', '.htm'];

/**
 * Everything a Jekyll site's rules are made of, read and parsed from its own files (config, data,
 * includes, menus): plain data, so it is read once on a worker thread (parsing a large data file
 * takes hundreds of milliseconds) and handed to the main thread and the render workers.
 */
export interface JekyllSources extends JekyllSite {
  /** The `_includes/` templates, as [name, text] pairs in name order. */
  includes: [string, string][];
  /** What is wrong in the navigation file (each problem with its line). */
  navigationProblems: Diagnostic[];
}

/** Reads a Jekyll site's own files through the safe reader; null for a folder that is not a Jekyll site. */
export async function readJekyllSources(root: string, reader: SafeFileReader = createSafeFileReader(root)): Promise<JekyllSources | null> {
  const site = await readJekyllSite(root, reader);
  if (!site) return null;
  const includeProblems: Diagnostic[] = [];
  const includes = await readIncludes(reader, includeProblems);
  const navigation = await readNavigationFile(root, reader);
  return { ...site, diagnostics: [...site.diagnostics, ...includeProblems], includes, navigationProblems: navigation?.problems ?? [] };
}

/**
 * Jekyll's rules for a site folder with a `_config.yml`: which files are pages, posts and
 * collection documents; front-matter defaults by path and type; URLs from permalinks and
 * Jekyll's placeholders; titles and dates from post file names; Liquid with the site in scope;
 * kramdown's attribute lists. Made from the site's sources alone (no file is read here).
 */
export function jekyllRules(site: JekyllSources): SiteRules {
  const { config, data, includes } = site;
  // Jekyll's markdown_ext is one comma-separated string.
  const markdownExtensions = (typeof config.markdown_ext === 'string' ? config.markdown_ext : DEFAULT_MARKDOWN_EXT)
    .split(',')
    .map((ext) => `.${ext.trim().toLowerCase()}`);
  const included = new Set(stringList(config.include));
  const isExcluded = excludedBy(stringList(config.exclude));
  const outputCollections = site.collections.filter((collection) => collection.output);
  const collectionByDir = new Map(outputCollections.map((collection) => [collection.dir, collection]));
  const allowFuture = config.future === true;
  // Keys of `site` that come from the config itself; anything else (posts, pages, collections) is built from pages.
  const configKeys = new Set([...Object.keys(config), 'data', 'time', 'baseurl', 'url']);

  const collectionOf = (file: string): JekyllCollection | null => {
    const parts = file.split('/');
    const postsAt = parts.indexOf('_posts');
    if (postsAt >= 0) return collectionByDir.get('_posts') ?? null;
    return collectionByDir.get(parts[0]) ?? null;
  };

  const describeFile = (file: string): FileFacts => {
    const collection = collectionOf(file);
    const name = path.posix.basename(file).replace(/\.[^.]+$/, '');
    if (collection?.label === 'posts') {
      const post = postInfoFromFilename(file);
      return { collection: 'posts', date: post?.date ?? null, slug: (post?.slug ?? name).toLowerCase() };
    }
    const parts = file.split('/');
    const slug = name === 'index' && parts.length > 1 ? parts.at(-2)! : name;
    return { collection: collection?.label ?? null, date: null, slug: slug.replace(/^_/, '').toLowerCase() };
  };

  const settings = publicSiteSettings(config);
  const plugins = new Set(site.plugins.map((plugin) => plugin.name));
  const jemoji = plugins.has('jemoji') ? rehypeJemoji() : undefined;

  return {
    settings,
    // The menus of _data/navigation.yml are checked by their own schema, with file and line.
    diagnostics: [...site.diagnostics, ...site.navigationProblems],
    data,
    baseUrl: typeof config.baseurl === 'string' ? config.baseurl : '',
    fingerprint: createHash('sha256').update(JSON.stringify({ config, data, includes })).digest('hex'),
    templateDependsOnSite(body) {
      if (includes.length > 0 && /\{%-?\s*include/.test(body)) return true;
      for (const match of body.matchAll(/\bsite\s*(?:\.\s*([A-Za-z_][\w-]*)|\[)/g)) if (!match[1] || !configKeys.has(match[1])) return true;
      return false;
    },
    isExcluded,
    isContentFile(file) {
      const parts = file.split('/');
      const extension = path.posix.extname(file).toLowerCase();
      if (!markdownExtensions.includes(extension) && !HTML_EXTENSIONS.includes(extension)) return false;
      if (parts.some((part) => UNWALKED_FOLDERS.has(part)) || isExcluded(file)) return false;
      if (parts.some((part) => part.startsWith('.') && !included.has(part))) return false;
      if (parts.includes('_posts')) return postInfoFromFilename(file) !== null;
      const first = parts[0];
      if (parts.length > 1 && first.startsWith('_')) return collectionByDir.has(first) || included.has(first);
      return true;
    },
    describeFile,
    withDefaults(file, facts, frontMatter) {
      return applyDefaults(config.defaults, { path: file, type: facts.collection ?? 'pages' }, frontMatter);
    },
    describeDocument(file, facts, frontMatter) {
      const permalink = typeof frontMatter.permalink === 'string' ? frontMatter.permalink : null;
      const collection = facts.collection ? (collectionByDir.get(`_${facts.collection}`) ?? collectionOf(file)) : null;
      const categories = categoriesOf(file, frontMatter);
      const date = typeof frontMatter.date === 'string' ? frontMatter.date : facts.date;
      const url = collection
        ? documentUrl(
            {
              collection: collection.label,
              relativePath: file,
              collectionDir: collection.label === 'posts' ? file.slice(0, file.indexOf('_posts') + '_posts'.length) : collection.dir,
              slug: typeof frontMatter.slug === 'string' ? frontMatter.slug : null,
              categories,
              date: calendarDate(date),
              permalink,
            },
            collection.permalink,
          )
        : pageUrl({ path: file, permalink }, typeof config.permalink === 'string' ? config.permalink : null);
      const published = parseContentDate(date ?? '');
      return {
        permalink: url,
        // Jekyll titles a post or collection document from its slug; a page has no title of its own.
        title: collection ? titleFromSlug(facts.slug) : null,
        categories,
        publishable: allowFuture || !published || published.getTime() <= Date.now(),
      };
    },
    createTemplating(documents: TemplateDocument[]) {
      const drop = (document: TemplateDocument) => ({
        ...document.frontMatter,
        title: document.title,
        url: document.url,
        date: document.date,
        path: document.file,
        collection: document.collection,
      });
      const posts = documents
        .filter((document) => document.collection === 'posts')
        .sort((a, b) => String(b.date).localeCompare(String(a.date)))
        .map(drop);
      const collections = Object.fromEntries(
        outputCollections
          .filter((c) => c.label !== 'posts')
          .map((c) => [c.label, documents.filter((d) => d.collection === c.label).map(drop)]),
      );
      // Liquid (and the markdown pipeline its markdownify filter brings) is loaded where templates
      // are evaluated, on first use: in the render workers, never by the main thread at start.
      const liquid = import('./liquid.ts').then(({ createJekyllLiquid }) =>
        createJekyllLiquid({
          includes: new Map(includes),
          // Templates see the settings GET /v1/site publishes, never the rest of _config.yml ({{ site.api_token }}).
          site: { ...settings, ...collections, data, posts, pages: documents.filter((d) => !d.collection).map(drop) },
          plugins,
        }),
      );
      return async (body, document) => {
        const result = await (await liquid).render(body, { page: drop(document), file: document.file });
        return {
          text: result.text,
          components: result.components,
          problems: result.warnings,
        };
      };
    },
    remarkPlugins: [remarkKramdownHtml, remarkKramdownMarkdownInHtml, remarkKramdownIal],
    ...(jemoji ? { transformHtml: jemoji, transformTitle: emojify } : {}),
    feed: plugins.has('jekyll-feed') ? feedSettings(config) : null,
  };
}

/** The include templates of the site, as [name, text] pairs (their text is part of every render's inputs). */
async function readIncludes(reader: SafeFileReader, problems: Diagnostic[]): Promise<[string, string][]> {
  const includes: [string, string][] = [];
  for (const file of await listSiteFolder(reader, '_includes')) {
    const read = await readSiteFile(reader, file, contentLimits.maxIncludeFileBytes);
    if (read?.problem) problems.push(read.problem);
    if (read && 'text' in read) includes.push([file.slice('_includes/'.length), read.text]);
  }
  return includes;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Categories as Jekyll holds them: folders above `_posts`, then `category` and `categories` from front matter. */
function categoriesOf(file: string, frontMatter: Record<string, unknown>): string[] {
  const parts = file.split('/');
  const postsAt = parts.indexOf('_posts');
  const fromFolders = postsAt > 0 ? parts.slice(0, postsAt) : [];
  const declared = [frontMatter.category, frontMatter.categories].flatMap((value) =>
    typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value.map(String) : [],
  );
  return [...new Set([...fromFolders, ...declared].filter(Boolean))];
}

function calendarDate(value: string | null): CalendarDate | undefined {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  return match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
}

/**
 * Jekyll's `exclude`, as its EntryFilter applies it to each file and folder it walks (by path
 * from the site's folder): an entry is left out when a pattern matches it as a glob, or when its
 * path starts with the pattern (so `private/` leaves out everything in `private`, and `Gemfile`
 * leaves out `Gemfile.lock` too). A folder left out takes everything in it along: a file is left
 * out when it or a folder on its way is. Jekyll matches with Ruby's `File.fnmatch?` without
 * `FNM_PATHNAME`, so a `*` crosses `/` (`*.log` leaves out `logs/build.log`): picomatch's `bash` mode.
 */
export function excludedBy(patterns: readonly string[]): (file: string) => boolean {
  const prefixes = patterns.map((pattern) => pattern.replace(/^\/+/, '')).filter((pattern) => pattern !== '');
  if (prefixes.length === 0) return () => false;
  const glob = picomatch(prefixes, { dot: true, bash: true });
  return (file) => {
    for (let end = file.indexOf('/'); ; end = file.indexOf('/', end + 1)) {
      const entry = end < 0 ? file : file.slice(0, end);
      if (glob(entry) || prefixes.some((prefix) => entry.startsWith(prefix))) return true;
      if (end < 0) return false;
    }
  };
}
