import { z } from 'zod';

export const AtomFeedSchema = z.string().meta({
  id: 'AtomFeed',
  description:
    'An Atom feed (RFC 4287) of the newest posts, as jekyll-feed writes it: `feed.posts_limit` entries (default 10), newest first, ' +
    'each with its title, absolute link, published and updated dates, categories, tags, summary and (unless `feed.excerpt_only`) its HTML. ' +
    "The feed's title, subtitle and author come from the site's `title`, `description` and `author`.",
  example:
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n' +
    '<link href="https://www.pyopensci.org/feed.xml" rel="self" type="application/atom+xml"/>\n' +
    '<updated>2026-05-21T00:00:00.000Z</updated>\n<id>https://www.pyopensci.org/feed.xml</id>\n<title type="html">pyOpenSci</title>\n' +
    '<entry>\n<title type="html">PyCon US 2026</title>\n<link href="https://www.pyopensci.org/blog/pycon-us-2026.html" rel="alternate" type="text/html" title="PyCon US 2026"/>\n' +
    '<published>2026-05-21T00:00:00.000Z</published>\n<updated>2026-05-21T00:00:00.000Z</updated>\n<id>https://www.pyopensci.org/blog/pycon-us-2026.html</id>\n</entry>\n</feed>\n',
});
