import { stat } from 'node:fs/promises';
import closeWithGrace from 'close-with-grace';
import { LogController } from 'fastify';
import { buildApp } from './build-app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
// A content folder that is not there is a mistake in the settings: say so and stop, rather than
// listen and answer 503 for ever.
if (!(await stat(config.CONTENT_DIR).catch(() => null))?.isDirectory()) {
  process.stderr.write(`The content folder does not exist or is not a folder: set CONTENT_DIR (now ${JSON.stringify(config.CONTENT_DIR)}).\n`);
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
