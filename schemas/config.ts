import { z } from 'zod';

/** Service configuration, read from the environment and validated at boot. */
export const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    CONTENT_DIR: z.string().min(1).default('content'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * `json`: one JSON object per line, for log collectors (production, `npm start`); `pretty`:
     * coloured lines for a person at a terminal (`npm run dev` sets it; needs the dev dependencies).
     */
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    /** Seconds shared caches and browsers may reuse a content response. */
    CACHE_MAX_AGE: z.coerce.number().int().min(0).default(60),
    /** Seconds a CDN may serve a stale response while it revalidates in the background. */
    CACHE_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).default(300),
    /** Comma-separated origins allowed by CORS, or * for any (GET and HEAD only). */
    CORS_ORIGINS: z.string().default('*'),
    /**
     * The public URL of the site (with its subpath, if any): the base of the absolute URLs in
     * /sitemap.xml and /robots.txt. Unset: the Jekyll site's `url` and `baseurl`; without either there
     * is no sitemap (404) and robots.txt names none. Never the request's Host header.
     */
    SITE_URL: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://www.example.org' }).optional(),
    ),
    /**
     * The API's own public URL (e.g. https://api.example.org): image and file URLs in page JSON and
     * HTML are absolute under it (https://api.example.org/v1/assets/…). Unset: root-relative (/v1/assets/…).
     */
    PUBLIC_URL: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://api.example.org' }).optional(),
    ),
    /**
     * Comma-separated URLs to POST to on every new public content version (Standard Webhooks,
     * signed with WEBHOOK_SECRET); a draft-only edit sends nothing. Empty: no webhooks.
     */
    WEBHOOK_URLS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .url({ protocol: /^https?$/, error: 'must be comma-separated http(s) URLs' })
            // fetch refuses a URL with credentials, and they would be in every log line about it.
            .refine((url) => !/^https?:\/\/[^/?#]*@/i.test(url), {
              error: 'must not hold a user or password (user:password@host): the receiver cannot be sent them that way',
            }),
        ),
      ),
    /** Standard Webhooks signing secret: `whsec_` and base64 of 24 to 64 random bytes (e.g. `echo whsec_$(openssl rand -base64 32)`). Required with WEBHOOK_URLS. */
    WEBHOOK_SECRET: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/, 'must be whsec_ followed by base64 (e.g. whsec_$(openssl rand -base64 32))')
        .optional(),
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
    WATCH: z
      .enum(['0', '1', 'true', 'false'])
      .default('1')
      .transform((value) => value === '1' || value === 'true'),
    /**
     * Most milliseconds one page may take to render (Liquid, markdown, sanitizing) on a render
     * worker; a page over it is a `render-timeout` error and its worker is replaced. Also what
     * reading one file's front matter on a worker may take (`front-matter-timeout`).
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
        .transform((value) =>
          value
            .split(',')
            .map((host) => host.trim().toLowerCase())
            .filter(Boolean),
        )
        .pipe(z.array(z.string().regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, 'must be host names such as mentimeter.com, comma-separated')))
        .optional(),
    ),
    /** Folder of the on-disk render cache (fast warm starts; safe to delete); empty turns it off. */
    RENDER_CACHE_DIR: z.string().default('.cache/render'),
    /**
     * Megabytes of brotli and gzip page bodies compressed in the background when content loads
     * (about 9 KB per seed-sized page); the rest are compressed on their first request. 0 (the
     * default): each on its first request, which costs a start no CPU and memory for pages nobody
     * asks for (docs/guides/delivery.md). `npm run build:cache` compresses every page body into
     * the cache folder whatever this says.
     */
    PRECOMPRESS_MAX_MB: z.coerce.number().min(0).default(0),
    /**
     * Megabytes of page bodies (plain, brotli, gzip) kept in memory for the pages most recently
     * asked for, least recently used dropped first. With a render cache folder every page's
     * compressed bodies are also on disk, and read back from it when asked for again; without
     * one, a body dropped is compressed again.
     */
    BODY_CACHE_MB: z.coerce.number().min(0).default(32),
    /**
     * Folder of the on-disk cache of image variants (`/v1/assets/…?w=&format=`), authenticated
     * with a per-install key, private to the service's user (created 0700); safe to delete.
     * Unset: `images/` in RENDER_CACHE_DIR, or in the OS temporary folder when that is off.
     */
    IMAGE_CACHE_DIR: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional()),
    /** Megabytes of image variants kept on disk, least recently used deleted first; 0 keeps none (each is encoded again). */
    IMAGE_CACHE_MB: z.coerce.number().min(0).default(256),
    /** Image variants encoded at once (each on one libvips thread, off the event loop); 4 per encode may wait, more get 503. */
    IMAGE_ENCODES: z.coerce.number().int().min(1).max(64).default(2),
    /** Megapixels (width × height) an image may have for variants to be made of it; a larger one (a decompression bomb) is 422. */
    IMAGE_MAX_MEGAPIXELS: z.coerce.number().min(0.01).max(268).default(50),
    /** Megabytes of responses the cache in front of the router holds (keys, headers, bodies), least recently used evicted first. */
    EDGE_CACHE_MAX_MB: z.coerce.number().min(0).default(32),
    /** Milliseconds a client has to send a request's headers (Node's headersTimeout); slower ones get 408 and are closed. */
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
    /** Milliseconds a client has to send a whole request (Node's requestTimeout). */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
    /** Milliseconds an idle kept-alive connection stays open (Node's keepAliveTimeout). */
    KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
    /** Open connections at most (event streams included); beyond it new connections are dropped at once. */
    MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
    /** Milliseconds in-flight requests get to finish after SIGTERM before every connection is closed. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(1_500),
    /** Open /v1/events streams at most; beyond it a 503 with Retry-After. */
    EVENTS_MAX_CLIENTS: z.coerce.number().int().min(0).default(1_000),
    /** Open /v1/events streams at most per client address (see TRUST_PROXY). */
    EVENTS_MAX_PER_ADDRESS: z.coerce.number().int().min(0).default(100),
    /** Kilobytes of events waiting for a slow reader before its stream is dropped (it reconnects and starts afresh). */
    EVENTS_MAX_BUFFER_KB: z.coerce.number().int().min(1).default(64),
    /** Milliseconds of CPU one search may rank for; past it, it begins no further word and answers with the words ranked so far (`partial: true`). */
    SEARCH_BUDGET_MS: z.coerce.number().int().min(1).default(30),
    /** Milliseconds of ranking per second for new queries, all clients together; beyond it a 503 with Retry-After (queries already ranked still answer). */
    SEARCH_RANKING_MS_PER_S: z.coerce.number().int().min(1).default(250),
    /**
     * Whether the service runs behind a proxy whose X-Forwarded-For/-Proto headers say who the
     * client is: 1/true (trust any), a hop count, or comma-separated proxy addresses or CIDRs.
     * Used for rate limits and logs only, never for URLs. Off by default.
     */
    TRUST_PROXY: z
      .string()
      .default('')
      .transform((value): boolean | number | string[] => {
        const trimmed = value.trim();
        if (trimmed === '' || trimmed === '0' || trimmed === 'false') return false;
        if (trimmed === '1' || trimmed === 'true') return true;
        if (/^\d+$/.test(trimmed)) return Number(trimmed);
        return trimmed
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
      }),
    /** Requests per minute each client may make (see TRUST_PROXY for who a client is); 0, the default, turns rate limiting off. */
    RATE_LIMIT: z.coerce.number().int().min(0).default(0),
    /** Requests per minute per client to /v1/search (and /v1/faq?q=), when lower than RATE_LIMIT; 0: RATE_LIMIT applies. */
    RATE_LIMIT_SEARCH: z.coerce.number().int().min(0).default(0),
    /** Requests per minute per client to /v1/diagnostics; 0: RATE_LIMIT applies. */
    RATE_LIMIT_DIAGNOSTICS: z.coerce.number().int().min(0).default(0),
  })
  .refine((config) => config.WEBHOOK_URLS.length === 0 || config.WEBHOOK_SECRET !== undefined, {
    path: ['WEBHOOK_SECRET'],
    message: 'is required when WEBHOOK_URLS is set (whsec_ followed by base64)',
  });

export type Config = z.infer<typeof ConfigSchema>;
