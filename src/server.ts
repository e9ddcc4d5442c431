import closeWithGrace from 'close-with-grace';
import { LogController } from 'fastify';
import { buildApp } from './build-app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const app = await buildApp(
  {
    contentDir: config.CONTENT_DIR,
    watch: config.WATCH,
    cacheDir: config.RENDER_CACHE_DIR || null,
    cacheMaxAge: config.CACHE_MAX_AGE,
    cacheStaleWhileRevalidate: config.CACHE_STALE_WHILE_REVALIDATE,
    corsOrigins: config.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
    previewToken: config.PREVIEW_TOKEN,
    siteUrl: config.SITE_URL,
    precompressMaxBytes: config.PRECOMPRESS_MAX_MB * 1024 * 1024,
  },
  {
    logger: { level: config.LOG_LEVEL },
    // One line per request only when asked for (LOG_LEVEL=debug or trace): quiet and fast by default.
    logController: new LogController({ disableRequestLogging: config.LOG_LEVEL !== 'debug' && config.LOG_LEVEL !== 'trace' }),
  },
);

// SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, exit within 4 s.
closeWithGrace({ delay: 4000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});

await app.listen({ port: config.PORT, host: config.HOST });
