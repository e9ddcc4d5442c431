import type { FastifyInstance } from 'fastify';
import { defaultImageCacheDir, type ImageVariantsOptions } from './assets/image-variants.ts';
import type { EdgeCache } from './http/edge-cache.ts';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import contentPlugin from './plugins/content.ts';
import deliveryPlugin from './plugins/delivery.ts';
import negotiationPlugin from './plugins/negotiation.ts';
import openapiPlugin from './plugins/openapi.ts';
import previewPlugin from './plugins/preview.ts';
import problemsPlugin from './plugins/problems.ts';
import rateLimitPlugin, { type RateLimitOptions } from './plugins/rate-limit.ts';
import securityHeadersPlugin from './plugins/security-headers.ts';
import diagnosticsRoutes from './routes/diagnostics/index.ts';
import eventsRoutes, { type EventsLimits } from './routes/events/index.ts';
import faqRoutes from './routes/faq/index.ts';
import feedRoutes from './routes/feed/index.ts';
import healthRoutes from './routes/health/index.ts';
import navigationRoutes from './routes/navigation/index.ts';
import pageRoutes from './routes/pages/index.ts';
import resolveRoutes from './routes/resolve/index.ts';
import searchRoutes from './routes/search/index.ts';
import { createRankingQueue } from './search/ranking-queue.ts';
import siteRoutes from './routes/site/index.ts';
import sitemapRoutes from './routes/sitemap/index.ts';
import assetRoutes from './routes/assets/index.ts';
import dataRoutes from './routes/data/index.ts';
import taxonomyRoutes from './routes/taxonomies/index.ts';
import webhooksPlugin from './plugins/webhooks.ts';

/** How long clients may take and how many may connect (build-app.ts applies them; see schemas/config.ts for each). */
export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** After SIGTERM: how long in-flight requests may take before every connection is closed. */
  shutdownGraceMs: number;
  /** Inactivity after which a socket is closed (Fastify's connectionTimeout); none by default, the timeouts above bound a request. */
  socketTimeoutMs?: number;
}

export interface AppOptions {
  contentDir: string;
  /** The response cache in front of the router, filled by content routes (build-app.ts makes it). */
  edge?: EdgeCache;
  /** Public URL of the site (SITE_URL): base of the absolute URLs in /sitemap.xml and /robots.txt. */
  siteUrl?: string;
  /** Watch the content folder and apply changes live (default off). */
  watch?: boolean;
  /** On-disk render cache for warm starts (default none). */
  cacheDir?: string | null;
  /** Most milliseconds one page may take to render (default 2,000). */
  renderTimeoutMs?: number;
  /** Hosts whose embeds are kept besides YouTube and Vimeo (EMBED_HOSTS; default none). */
  embedHosts?: string[];
  /** Listen before content is loaded (server.ts); tests and tools wait for it (default). */
  loadInBackground?: boolean;
  /** Milliseconds a content request waits for the first version before 503 (default 20,000). */
  startupWaitMs?: number;
  /** Seconds public responses may be cached (default 60). */
  cacheMaxAge?: number;
  /** Seconds a stale response may be served while revalidating (default 300). */
  cacheStaleWhileRevalidate?: number;
  /** Origins allowed by CORS (default any). */
  corsOrigins?: string[];
  /** Bearer token that lets requests see drafts (PREVIEW_TOKEN); none turns preview off. */
  previewToken?: string;
  /** Milliseconds between heartbeat comments on /v1/events (default 15 s). */
  eventsHeartbeatMs?: number;
  /** Bytes of page bodies compressed in the background after each load (default 0: each on its first request; build-app.ts runs it). */
  precompressMaxBytes?: number;
  /**
   * Bytes of page bodies kept in memory, most recently used first (BODY_CACHE_MB); with `cacheDir`
   * the compressed ones are also kept on disk. Absent, each page keeps its own bodies (tests, tools).
   */
  bodyCacheMaxBytes?: number;
  /** Bytes the response cache in front of the router holds (default 32 MiB; build-app.ts makes it). */
  edgeCacheMaxBytes?: number;
  /** Server timeouts, connection cap and shutdown grace (build-app.ts; defaults in DEFAULT_CONNECTION_LIMITS). */
  connections?: Partial<ConnectionLimits>;
  /** Caps on /v1/events streams (defaults: 1,000 in all, 100 per address, 64 KiB waiting per reader). */
  events?: Partial<EventsLimits>;
  /** Milliseconds one search may spend ranking (default 30). */
  searchBudgetMs?: number;
  /** Milliseconds of ranking per second, all searches and FAQ rankings together (default 250). */
  searchRankingMsPerSecond?: number;
  /** Milliseconds a search waits for its content version's index while it is built before 503 (default SEARCH_INDEX_WAIT_MS, 3 s). */
  searchIndexWaitMs?: number;
  /** The API's own public URL (PUBLIC_URL): asset URLs in page JSON and HTML are absolute under it (default root-relative). */
  publicUrl?: string;
  /** Where to POST a signed notice of each new public content version (WEBHOOK_URLS; default none). */
  webhookUrls?: string[];
  /** Standard Webhooks signing secret, `whsec_<base64>` (WEBHOOK_SECRET). */
  webhookSecret?: string;
  /** Milliseconds before each webhook retry (default 1 s, 5 s, 30 s, 2 min, 10 min; tests shorten them). */
  webhookRetryDelaysMs?: readonly number[];
  /** Per-client requests per minute (default none). */
  rateLimit?: RateLimitOptions;
  /**
   * Image variants of /v1/assets (`?w=`, `?format=`): the disk cache's folder (default `images/`
   * in `cacheDir`, else in the OS temporary folder) and bytes (256 MiB), encodes at once (2) and
   * waiting (4 per encode), the pixel limit (50 million); see schemas/config.ts for each setting.
   */
  images?: Partial<Omit<ImageVariantsOptions, 'onUnavailable'>>;
}

/**
 * The whole service as a Fastify plugin: server.ts registers it to listen, tests register it and
 * call `app.inject`.
 */
export default async function app(fastify: FastifyInstance, options: AppOptions) {
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);

  await fastify.register(problemsPlugin);
  // After problems: its onSend hook gives errors their final type, which decides the policy.
  await fastify.register(securityHeadersPlugin);
  // Before every route: its onRoute hook gives each its limit.
  await fastify.register(rateLimitPlugin, options.rateLimit ?? {});
  await fastify.register(negotiationPlugin);
  await fastify.register(deliveryPlugin, {
    maxAge: options.cacheMaxAge ?? 60,
    staleWhileRevalidate: options.cacheStaleWhileRevalidate ?? 300,
    corsOrigins: options.corsOrigins ?? ['*'],
    edge: options.edge,
  });
  // Before the routes: its onRequest hook decides request.preview for every one of them.
  await fastify.register(previewPlugin, { token: options.previewToken });
  await fastify.register(openapiPlugin);
  await fastify.register(contentPlugin, {
    contentDir: options.contentDir,
    watch: options.watch,
    cacheDir: options.cacheDir,
    renderTimeoutMs: options.renderTimeoutMs,
    embedHosts: options.embedHosts,
    publicUrl: options.publicUrl,
    bodyCacheMaxBytes: options.bodyCacheMaxBytes,
    loadInBackground: options.loadInBackground,
    startupWaitMs: options.startupWaitMs,
  });

  await fastify.register(healthRoutes);
  await fastify.register(pageRoutes, { prefix: '/v1' });
  // One queue for every ranking (search, FAQ): they take the event loop in turns, a few ms at a time.
  const rankingQueue = createRankingQueue({ msPerSecond: options.searchRankingMsPerSecond ?? 250 });
  await fastify.register(faqRoutes, { prefix: '/v1', rankingQueue, indexWaitMs: options.searchIndexWaitMs });
  await fastify.register(navigationRoutes, { prefix: '/v1' });
  await fastify.register(resolveRoutes, { prefix: '/v1' });
  await fastify.register(siteRoutes, { prefix: '/v1' });
  await fastify.register(searchRoutes, {
    prefix: '/v1',
    budgetMs: options.searchBudgetMs,
    rankingQueue,
    indexWaitMs: options.searchIndexWaitMs,
  });
  await fastify.register(sitemapRoutes, { siteUrl: options.siteUrl });
  await fastify.register(feedRoutes, { siteUrl: options.siteUrl });
  await fastify.register(diagnosticsRoutes, { prefix: '/v1', contentDir: options.contentDir });
  await fastify.register(dataRoutes, { prefix: '/v1' });
  await fastify.register(taxonomyRoutes, { prefix: '/v1' });
  const images = options.images ?? {};
  const encodes = images.encodes ?? 2;
  await fastify.register(assetRoutes, {
    prefix: '/v1',
    contentDir: options.contentDir,
    images: {
      cacheDir: images.cacheDir ?? defaultImageCacheDir(options.cacheDir),
      cacheMaxBytes: images.cacheMaxBytes ?? 256 * 1024 * 1024,
      encodes,
      maxWaiting: images.maxWaiting ?? encodes * 4,
      maxPixels: images.maxPixels ?? 50_000_000,
      importSharp: images.importSharp,
    },
  });
  await fastify.register(webhooksPlugin, {
    urls: options.webhookUrls ?? [],
    secret: options.webhookSecret,
    retryDelaysMs: options.webhookRetryDelaysMs,
  });
  await fastify.register(eventsRoutes, { prefix: '/v1', heartbeatMs: options.eventsHeartbeatMs, limits: options.events });
}
