import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { LogController, type FastifyInstance } from 'fastify';
import { buildApp } from './build-app.ts';
import { loadConfig } from './config.ts';
import { tightenHeapGrowth } from './heap-growth.ts';
import { collectWhenQuiet } from './idle-collection.ts';
import { holdTickObjectShape } from './http/tick-object.ts';
import { loadPackKey } from './content/pack-key.ts';

const USAGE = `usage: npm start                serves CONTENT_DIR on HOST:PORT
       npm run build:cache      loads CONTENT_DIR once, writes the warm-start cache to RENDER_CACHE_DIR, exits`;

/** How long a cache build waits for the work after the load (precompression and search index: about 35 s at 10,000 pages). */
const CACHE_BUILD_WAIT_MS = 10 * 60_000;

/**
 * Starts the service, or builds the warm-start cache (`--build-cache`). A function, not top-level
 * code: the bundle `npm start` runs is a script whose compiled code V8 keeps (src/launch.ts), and a
 * script has no top-level await. A failure to start rejects, and Node exits 1 saying why.
 */
async function main(): Promise<void> {
  // First, before any full garbage collection: see tick-object.ts.
  holdTickObjectShape();
  const buildingCache = readArguments(process.argv.slice(2));
  const config = loadConfig();
  if (buildingCache && !config.RENDER_CACHE_DIR) {
    process.stderr.write(`RENDER_CACHE_DIR is empty (the cache is off): set it to the folder the service will start from.\n${USAGE}\n`);
    process.exit(2);
  }
  // A content folder that is not there is a mistake in the settings: say so and stop, rather than
  // listen and answer 503 for ever.
  if (!(await stat(config.CONTENT_DIR).catch(() => null))?.isDirectory()) {
    process.stderr.write(
      `The content folder does not exist or is not a folder: set CONTENT_DIR (now ${JSON.stringify(config.CONTENT_DIR)}).\n`,
    );
    process.exit(1);
  }
  // A folder others may write is not used (see loadPackKey, which has warned why): a build into it would write nothing.
  if (buildingCache && !(await loadPackKey(config.RENDER_CACHE_DIR))) {
    process.stderr.write('RENDER_CACHE_DIR cannot hold the cache (see the warning), so nothing was written.\n');
    // The warning saying why is written on a later turn: the exit waits for it.
    await new Promise((resolve) => setImmediate(resolve));
    process.exit(1);
  }
  const app = await buildApp(
    {
      contentDir: config.CONTENT_DIR,
      watch: config.WATCH && !buildingCache,
      cacheDir: config.RENDER_CACHE_DIR || null,
      renderTimeoutMs: config.RENDER_TIMEOUT_MS,
      embedHosts: config.EMBED_HOSTS,
      // Listen at once: /health answers from the first moment, content routes once content is served (/ready).
      // A cache build listens on nothing: it is ready once the content is loaded.
      loadInBackground: !buildingCache,
      cacheMaxAge: config.CACHE_MAX_AGE,
      cacheStaleWhileRevalidate: config.CACHE_STALE_WHILE_REVALIDATE,
      corsOrigins: config.CORS_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
      previewToken: config.PREVIEW_TOKEN,
      siteUrl: config.SITE_URL,
      publicUrl: config.PUBLIC_URL,
      // A cache build publishes nothing: subscribers hear of content from the service that serves it.
      webhookUrls: buildingCache ? [] : config.WEBHOOK_URLS,
      webhookSecret: config.WEBHOOK_SECRET,
      // A cache build compresses every page body into the folder, for the starts that read it.
      precompressMaxBytes: buildingCache ? Number.POSITIVE_INFINITY : config.PRECOMPRESS_MAX_MB * 1024 * 1024,
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
  ).catch((error: Error) => {
    // Only a cache build loads before buildApp resolves: a folder it cannot load is its failure.
    if (!buildingCache) throw error;
    process.stderr.write(`The content could not be loaded, so no cache was written: ${error.message}\n`);
    process.exit(1);
  });

  if (buildingCache) {
    await buildCache(app, config.RENDER_CACHE_DIR);
  } else {
    // SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (SHUTDOWN_GRACE_MS),
    // end every other connection, flush the render cache, exit; a close stuck past another second exits 1.
    closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS + 1000 }, async ({ signal, err }) => {
      if (err) app.log.error({ err }, 'shutting down after an error');
      else app.log.info({ signal }, 'shutting down');
      await app.close();
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    // Once content is first answered (a listing, or the first version): see onFirstServed.
    const firstAnswered = () => {
      for (const listener of firstServed.splice(0)) listener();
    };
    void app.content.answering.then((first) => {
      firstAnswered();
      // A first start's own listing: its render goes on for seconds behind it (see heap-growth.ts).
      // After the listeners: V8 takes a code cache only under the flags it was made under.
      if (first === 'listing') tightenHeapGrowth();
    });
    // Once the first version is served: see heap-growth.ts and idle-collection.ts. The first
    // answer's listeners run first if they have not yet (`answering` settles after `loaded`).
    void app.content.loaded.then(() => {
      firstAnswered();
      tightenHeapGrowth();
      const idle = collectWhenQuiet();
      idle.arm();
      app.content.onUpdate(() => idle.arm());
    });
  }
}

/** `--build-cache` (npm run build:cache), or nothing; anything else is a usage error (exit 2). */
function readArguments(args: string[]): boolean {
  try {
    const { values } = parseArgs({ args, options: { 'build-cache': { type: 'boolean', default: false } }, allowPositionals: false });
    return values['build-cache'] === true;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

/**
 * npm run build:cache: the content is loaded (before buildApp resolved), its page bodies are
 * precompressed and its published search index built, and closing the service writes what a
 * start reads back (the warm-start pack, the compressed bodies, the search index). Run where the
 * service will run, with the same CONTENT_DIR and RENDER_CACHE_DIR (a container image's build,
 * say), the start after it renders, compresses and indexes nothing.
 */
async function buildCache(app: FastifyInstance, dir: string): Promise<void> {
  const { snapshot } = app.content;
  // Page bodies precompressed (kept in the cache folder) and the search index built, as after any
  // load. The deadline also keeps the process running while that work waits out quiet turns (on
  // timers that would not keep it running).
  const deadline = setTimeout(() => {
    process.stderr.write(
      `Precompressing and indexing took longer than ${CACHE_BUILD_WAIT_MS / 60_000} minutes; the cache is incomplete.\n`,
    );
    process.exit(1);
  }, CACHE_BUILD_WAIT_MS);
  try {
    await app.backgroundSettled();
  } finally {
    clearTimeout(deadline);
  }
  const indexed = await snapshot.published.searchable(0);
  await app.close();
  app.log.info(
    {
      version: snapshot.version,
      pages: snapshot.published.pages.length,
      searchIndex: indexed,
      dir,
      durationMs: Math.round(performance.now()),
    },
    'warm-start cache written',
  );
}

/** Trusts the `hops` proxies nearest the service (Fastify's types take no hop count). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

const firstServed: (() => void)[] = [];

/**
 * Calls `listener` once the service first answers content (a first start's listing, or the first
 * version), before it changes V8's heap flags (heap-growth.ts): the launcher takes V8's code cache
 * then (src/launch.ts). At the listing, not once every page is rendered: a first start stopped
 * during its render (a deploy rolled on, a crash loop) leaves the cache for the next start, and
 * the next start's first version, which comes while edits may be saved, does not pause for it.
 */
export function onFirstServed(listener: () => void): void {
  firstServed.push(listener);
}

void main();
