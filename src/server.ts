import { buildApp } from './build-app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const app = await buildApp(
  {
    contentDir: config.CONTENT_DIR,
    cacheMaxAge: config.CACHE_MAX_AGE,
    cacheStaleWhileRevalidate: config.CACHE_STALE_WHILE_REVALIDATE,
    corsOrigins: config.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
  },
  { logger: { level: config.LOG_LEVEL }, disableRequestLogging: config.LOG_LEVEL !== 'debug' && config.LOG_LEVEL !== 'trace' },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  });
}

await app.listen({ port: config.PORT, host: config.HOST });
