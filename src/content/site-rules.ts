import type { Root as HastRoot } from 'hast';
import type { PluggableList } from 'unified';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import type { Component } from '../../schemas/page.ts';
import type { FeedSettings } from '../model/site-feeds.ts';
import { isContentPath } from './discover.ts';
import { defaultPermalink } from '../model/permalink.ts';
import type { ContentProblem } from '../model/problem.ts';

/** What a site's conventions say about one file, before its front matter is read. */
export interface FileFacts {
  /** Collection label (`posts`…) or null for a plain page. */
  collection: string | null;
  /** Date from the file name (YYYY-MM-DD), for posts. */
  date: string | null;
  /** Slug from the file name. */
  slug: string;
}

/** What a site's conventions say about a document once its front matter is known. */
export interface DocumentFacts {
  permalink: string;
  title: string | null;
  categories: string[];
  /** False for documents the site would not publish (e.g. future-dated posts). */
  publishable: boolean;
}

/** The result of evaluating a body's template language before markdown. */
export interface TemplateResult {
  text: string;
  components: Component[];
  problems: ContentProblem[];
}

/**
 * How a kind of site lays out its content: which files are pages, which defaults apply, how
 * URLs are formed, and how bodies are templated. A plain folder of markdown and a Jekyll site are
 * the two kinds; the loader follows whichever the folder is.
 */
export interface SiteRules {
  /** Site settings safe to publish (GET /v1/site), or null for a plain folder. */
  settings: Record<string, unknown> | null;
  /** Problems in the site's own files (config, data). */
  diagnostics: Diagnostic[];
  /** Data files (Jekyll's `_data`), keyed by name. */
  data: Record<string, unknown>;
  /** The subpath the site is published under (Jekyll's baseurl), '' at the root. */
  baseUrl: string;
  /** Hash of everything besides a page's own file that its rendering depends on (config, data, includes). */
  fingerprint: string;
  /** Whether a body's templates read other pages (site.posts...), so it renders again when they change. */
  templateDependsOnSite?(body: string): boolean;
  /** Whether a file is content: a plain function, which the scan is handed on its own. */
  isContentFile: (file: string) => boolean;
  /** Whether the site leaves a file out of what it publishes (Jekyll's `exclude`): neither a page nor a static file (GET /v1/assets). */
  isExcluded: (file: string) => boolean;
  describeFile(file: string): FileFacts;
  /** Front matter with the site's defaults applied (front matter wins). */
  withDefaults(file: string, facts: FileFacts, frontMatter: Record<string, unknown>): Record<string, unknown>;
  describeDocument(file: string, facts: FileFacts, frontMatter: Record<string, unknown>): DocumentFacts;
  /** Evaluates a body's templates with the page and the whole site in scope; absent for plain folders. */
  createTemplating?(documents: TemplateDocument[]): (body: string, document: TemplateDocument) => Promise<TemplateResult>;
  remarkPlugins: PluggableList;
  /** Rewrites a page's sanitized HTML tree for the site's plugins (jemoji), before sections and excerpts are taken from it. */
  transformHtml?(tree: HastRoot): void;
  /** Rewrites a title as the site's plugins would show it (jemoji: `:heart:` → ❤️). */
  transformTitle?(title: string): string;
  /** jekyll-feed's settings when the site uses it (GET /feed.xml), else null. */
  feed: FeedSettings | null;
}

/** A document as templates see it (Jekyll's `page`, and an item of `site.posts`). */
export interface TemplateDocument {
  file: string;
  collection: string | null;
  url: string;
  date: string | null;
  frontMatter: Record<string, unknown>;
  title: string;
}

/** The rules of a plain folder of markdown pages. */
export const plainFolderRules: SiteRules = {
  settings: null,
  diagnostics: [],
  data: {},
  baseUrl: '',
  fingerprint: 'plain-folder',
  isContentFile: isContentPath,
  isExcluded: () => false,
  describeFile(file) {
    const parts = file.replace(/\.[^./]+$/, '').split('/');
    const name = parts.at(-1)!;
    return { collection: null, date: null, slug: (name === 'index' && parts.length > 1 ? parts.at(-2)! : name).toLowerCase() };
  },
  withDefaults: (_file, _facts, frontMatter) => frontMatter,
  describeDocument(file, _facts, frontMatter) {
    const permalink = typeof frontMatter.permalink === 'string' ? frontMatter.permalink : defaultPermalink(file);
    return { permalink, title: null, categories: [], publishable: true };
  },
  remarkPlugins: [],
  feed: null,
};
