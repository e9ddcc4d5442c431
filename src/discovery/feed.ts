import type { PageRecord } from '../model/page-record.ts';
import { absoluteUrl, escapeXml } from './sitemap.ts';
import type { FeedAuthor, FeedSettings } from '../model/site-feeds.ts';

const DEFAULT_POSTS_LIMIT = 10;

/** jekyll-feed's settings from a site's config, with the plugin's defaults. */
export function feedSettings(config: Record<string, unknown>): FeedSettings {
  const feed = isRecord(config.feed) ? config.feed : {};
  const path = typeof feed.path === 'string' && feed.path.trim() !== '' ? feed.path.trim() : 'feed.xml';
  const limit = Number(feed.posts_limit);
  return {
    path: path.startsWith('/') ? path : `/${path}`,
    postsLimit: Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_POSTS_LIMIT,
    excerptOnly: feed.excerpt_only === true,
    title: text(config.title) ?? text(config.name),
    description: text(config.description),
    author: authorOf(config.author),
  };
}

/**
 * An Atom feed (RFC 4287) of `posts` (newest first), as jekyll-feed writes it: absolute URLs under
 * `base`, each entry with its title, link, dates, categories and tags, summary and (unless
 * excerpt-only) its HTML, with `xml:base` so its relative links resolve.
 */
export function atomFeed(posts: readonly PageRecord[], settings: FeedSettings, base: string, modified: Date): string {
  const self = absoluteUrl(base, settings.path);
  const updated = posts.reduce((newest, post) => Math.max(newest, Date.parse(updatedOf(post))), 0);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<link href="${escapeXml(self)}" rel="self" type="application/atom+xml"/>`,
    `<link href="${escapeXml(absoluteUrl(base, '/'))}" rel="alternate" type="text/html"/>`,
    `<updated>${new Date(updated || modified.getTime()).toISOString()}</updated>`,
    `<id>${escapeXml(self)}</id>`,
    ...(settings.title ? [`<title type="html">${escapeXml(settings.title)}</title>`] : []),
    ...(settings.description ? [`<subtitle>${escapeXml(settings.description)}</subtitle>`] : []),
    ...(settings.author ? [authorXml(settings.author)] : []),
    ...posts.map((post) => entryXml(post, settings, base)),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}

function entryXml(post: PageRecord, settings: FeedSettings, base: string): string {
  const { summary, page } = post;
  const url = escapeXml(absoluteUrl(base, summary.permalink));
  const author = authorOf(page.front_matter.author);
  const parts = [
    '<entry>',
    `<title type="html">${escapeXml(summary.title)}</title>`,
    `<link href="${url}" rel="alternate" type="text/html" title="${escapeXml(summary.title)}"/>`,
    `<published>${summary.date ?? updatedOf(post)}</published>`,
    `<updated>${updatedOf(post)}</updated>`,
    `<id>${url}</id>`,
    ...(settings.excerptOnly ? [] : [`<content type="html" xml:base="${url}">${escapeXml(page.html)}</content>`]),
    ...(author ? [authorXml(author)] : []),
    ...[...summary.categories, ...summary.tags].map((term) => `<category term="${escapeXml(term)}"/>`),
    ...(summary.excerpt ? [`<summary type="html">${escapeXml(summary.excerpt)}</summary>`] : []),
    '</entry>',
  ];
  return parts.join('\n');
}

/** When a post last changed: `last_modified_at`, else `last_modified`, else its date, else its file's. */
function updatedOf(post: PageRecord): string {
  const written = post.frontMatter.last_modified_at;
  const candidates = [typeof written === 'string' ? written : null, post.summary.last_modified, post.summary.date];
  for (const candidate of candidates) if (candidate && !Number.isNaN(Date.parse(candidate))) return new Date(candidate).toISOString();
  return post.modified.toISOString();
}

function authorXml(author: FeedAuthor): string {
  const email = author.email ? `<email>${escapeXml(author.email)}</email>` : '';
  const uri = author.uri ? `<uri>${escapeXml(author.uri)}</uri>` : '';
  return `<author><name>${escapeXml(author.name)}</name>${email}${uri}</author>`;
}

function authorOf(value: unknown): FeedAuthor | null {
  if (typeof value === 'string' && value.trim() !== '') return { name: value.trim() };
  if (!isRecord(value)) return null;
  const name = text(value.name);
  if (!name) return null;
  const email = text(value.email);
  const uri = text(value.uri) ?? text(value.url);
  return { name, ...(email ? { email } : {}), ...(uri && /^https?:\/\//i.test(uri) ? { uri } : {}) };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
