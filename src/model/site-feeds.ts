/** A page as the sitemap lists it: its path and when it last changed. */
export interface SitemapEntry {
  permalink: string;
  /** W3C datetime (ISO 8601, UTC). */
  lastmod: string;
}

/** jekyll-feed's settings, read from `_config.yml` (its `feed:` keys, and the site's title, description and author). */
export interface FeedSettings {
  /** `feed.path`: where the feed says it lives (its self link and id); default `/feed.xml`. */
  path: string;
  /** `feed.posts_limit`: how many of the newest posts it lists; default 10. */
  postsLimit: number;
  /** `feed.excerpt_only`: entries carry the summary only, not the post's HTML. */
  excerptOnly: boolean;
  /** The feed's title: the site's `title`, else its `name`. */
  title: string | null;
  /** The feed's subtitle: the site's `description`. */
  description: string | null;
  /** The site's `author` (a name, or name, email and uri), for posts that name none. */
  author: FeedAuthor | null;
}

export interface FeedAuthor {
  name: string;
  email?: string;
  uri?: string;
}
