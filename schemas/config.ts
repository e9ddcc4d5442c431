import { z } from 'zod';

/** Service configuration, read from the environment and validated at boot. */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CONTENT_DIR: z.string().min(1).default('content'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds shared caches and browsers may reuse a content response. */
  CACHE_MAX_AGE: z.coerce.number().int().min(0).default(60),
  /** Seconds a CDN may serve a stale response while it revalidates in the background. */
  CACHE_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).default(300),
  /** Comma-separated origins allowed by CORS, or * for any (GET and HEAD only). */
  CORS_ORIGINS: z.string().default('*'),
  /**
   * The public URL of the site (with its subpath, if any): the base of the absolute URLs in
   * /sitemap.xml and /robots.txt. Unset: the Jekyll site's `url` and `baseurl`, else the request's host.
   */
  SITE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://www.example.org' }).optional(),
  ),
  /**
   * Bearer token that lets a request see drafts (preview). Unset or empty: preview is off.
   * At least 16 characters, e.g. from `openssl rand -hex 32`.
   */
  PREVIEW_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').optional(),
  ),
  /** Watch CONTENT_DIR and apply edits live; WATCH=0 turns it off (production). */
  WATCH: z.enum(['0', '1', 'true', 'false']).default('1').transform((value) => value === '1' || value === 'true'),
  /**
   * Most milliseconds one page may take to render (Liquid, markdown, sanitizing) on a render
   * worker; a page over it is a `render-timeout` error and its worker is replaced.
   */
  RENDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /**
   * Hosts whose embedded players (`<iframe src="https://…">`) pages may keep, besides YouTube,
   * youtube-nocookie and Vimeo: comma-separated, each also allowing its subdomains
   * (`mentimeter.com,player.example.org`). Any other iframe is removed and reported (`embed-removed`).
   */
  EMBED_HOSTS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, 'must be host names such as mentimeter.com, comma-separated')))
      .optional(),
  ),
  /** Folder of the on-disk render cache (fast warm starts; safe to delete); empty turns it off. */
  RENDER_CACHE_DIR: z.string().default('.cache/render'),
  /**
   * Megabytes of brotli and gzip page bodies compressed ahead of time when content loads (about
   * 9 KB per seed-sized page); pages beyond it are compressed on their first request. 0 compresses nothing ahead.
   */
  PRECOMPRESS_MAX_MB: z.coerce.number().min(0).default(128),
});

export type Config = z.infer<typeof ConfigSchema>;
