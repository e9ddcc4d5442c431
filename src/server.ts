import { stat } from 'node:fs/promises';
import closeWithGrace from 'close-with-grace';
import { LogController } from 'fastify';
import { buildApp } from './build-app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
// A content folder that is not there is a mistake in the settings: say so and stop, rather than
// listen and answer 503 for ever.
if (!(await stat(config.CONTENT_DIR).catch(() => null))?.isDirectory()) {
  process.stderr.write(
    `The content folder does not exist or is not a folder: set CONTENT_DIR (now ${JSON.stringify(config.CONTENT_DIR)}).\n`,
  );
  process.exit(1);
}
const app = await buildApp(
  {
    contentDir: config.CONTENT_DIR,
    watch: config.WATCH,
    cacheDir: config.RENDER_CACHE_DIR || null,
    renderTimeoutMs: config.RENDER_TIMEOUT_MS,
    embedHosts: config.EMBED_HOSTS,
    // Listen at once: /health answers from the first moment, content routes once content is served (/ready).
    loadInBackground: true,
    cacheMaxAge: config.CACHE_MAX_AGE,
    cacheStaleWhileRevalidate: config.CACHE_STALE_WHILE_REVALIDATE,
    corsOrigins: config.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    previewToken: config.PREVIEW_TOKEN,
    siteUrl: config.SITE_URL,
    publicUrl: config.PUBLIC_URL,
    webhookUrls: config.WEBHOOK_URLS,
    webhookSecret: config.WEBHOOK_SECRET,
    precompressMaxBytes: config.PRECOMPRESS_MAX_MB * 1024 * 1024,
    bodyCacheMaxBytes: config.BODY_CACHE_MB * 1024 * 1024,
    edgeCacheMaxBytes: config.EDGE_CACHE_MAX_MB * 1024 * 1024,
    connections: {
      headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: config.MAX_CONNECTIONS,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    },
    events: {
      maxClients: config.EVENTS_MAX_CLIENTS,
      maxPerAddress: config.EVENTS_MAX_PER_ADDRESS,
      maxBufferBytes: config.EVENTS_MAX_BUFFER_KB * 1024,
    },
    searchBudgetMs: config.SEARCH_BUDGET_MS,
    searchRankingMsPerSecond: config.SEARCH_RANKING_MS_PER_S,
    rateLimit: { max: config.RATE_LIMIT, search: config.RATE_LIMIT_SEARCH, diagnostics: config.RATE_LIMIT_DIAGNOSTICS },
    images: {
      cacheDir: config.IMAGE_CACHE_DIR,
      cacheMaxBytes: config.IMAGE_CACHE_MB * 1024 * 1024,
      encodes: config.IMAGE_ENCODES,
      maxPixels: config.IMAGE_MAX_MEGAPIXELS * 1_000_000,
    },
  },
  {
    logger: {
      level: config.LOG_LEVEL,
      // pino-pretty runs in pino's transport thread: the service's own thread only writes JSON.
      ...(config.LOG_FORMAT === 'pretty'
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
        : {}),
    },
    // Client address and scheme from X-Forwarded-* only behind a trusted proxy: for rate limits and logs, never for URLs.
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    // One line per request only when asked for (LOG_LEVEL=debug or trace): quiet and fast by default.
    logController: new LogController({ disableRequestLogging: config.LOG_LEVEL !== 'debug' && config.LOG_LEVEL !== 'trace' }),
  },
);

// SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (SHUTDOWN_GRACE_MS),
// end every other connection, flush the render cache, exit; a close stuck past another second exits 1.
closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS + 1000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});

await app.listen({ port: config.PORT, host: config.HOST });

/** Trusts the `hops` proxies nearest the service (Fastify's types take no hop count). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}
