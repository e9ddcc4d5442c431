import Fastify, { type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import app, { type AppOptions, type ConnectionLimits } from './app.ts';
import { createEdgeCache } from './http/edge-cache.ts';
import { createPrecompressor } from './http/precompress.ts';
import { loadPackKey } from './content/pack-key.ts';
import { restoreSiteIndex, saveSiteIndex, warmSiteIndex } from './search/site-index.ts';
import { MAX_PATH_PARAM_LENGTH, SEARCH_INDEX_WAIT_MS } from './http/problem.ts';
import { answerFrameworkError } from './plugins/problems.ts';

/** Pages whose FAQ entries are taken per turn of the event loop after a load (see warmSearch). */
const FAQ_PAGES_PER_TURN = 64;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Resolves once the background work of the version served now is done: its page bodies
     * precompressed and its search index built (or that work given up for a newer version).
     */
    backgroundSettled(): Promise<void>;
  }
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
  shutdownGraceMs: 1_500,
};

/**
 * The node:http server, with its limits set here rather than left to Node's defaults (Fastify
 * applies its own timeouts only to servers it creates itself): a client that trickles its
 * headers is cut off after `headersTimeoutMs`, one that trickles its body after
 * `requestTimeoutMs`, an idle kept-alive connection after `keepAliveTimeoutMs`, and connections
 * beyond `maxConnections` are dropped as they arrive.
 */
function createLimitedServer(limits: ConnectionLimits, listener: (request: IncomingMessage, response: ServerResponse) => void): Server {
  const server = createServer(
    {
      // Node refuses a headers timeout longer than the request's.
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node enforces the two timeouts above (its default, 30 s, would let a 10 s limit run to 40 s).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  if (limits.socketTimeoutMs) server.setTimeout(limits.socketTimeoutMs);
  return server;
}

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * Every route's schemas are Zod's (app.ts sets Zod's compilers on the instance): Fastify's own
 * compilers (Ajv's, fast-json-stringify's) are never built, nor their packages loaded, which
 * every start paid for. Cast: Fastify's types know only those packages' compile functions.
 */
const ZOD_COMPILERS = { buildValidator: () => validatorCompiler, buildSerializer: () => serializerCompiler } as unknown as CompilersFactory;

/** Creates a ready-to-use instance of the service (what server.ts listens with and tests inject into). */
export async function buildApp(options: AppOptions, serverOptions: FastifyServerOptions = { logger: false }) {
  // Fastify's own timeout options, when given, apply to the server made here too (it would ignore them).
  const fromFastify: Partial<ConnectionLimits> = {
    ...(serverOptions.requestTimeout ? { requestTimeoutMs: serverOptions.requestTimeout } : {}),
    ...(serverOptions.keepAliveTimeout ? { keepAliveTimeoutMs: serverOptions.keepAliveTimeout } : {}),
    ...(serverOptions.connectionTimeout ? { socketTimeoutMs: serverOptions.connectionTimeout } : {}),
  };
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...fromFastify, ...options.connections };
  // Identical repeat requests for public content are answered before routing (see edge-cache.ts).
  // Not while rate limits are on: every request must then be counted by the router.
  const limited = Boolean(options.rateLimit?.max || options.rateLimit?.search || options.rateLimit?.diagnostics);
  const edge = createEdgeCache({ maxBytes: limited ? 0 : options.edgeCacheMaxBytes });
  let closing = false;
  let server: Server | undefined;
  // Responses being written: shutdown waits for them (and for nothing else).
  const inFlight = new Set<ServerResponse>();
  const endConnectionsWhenIdle = () => {
    if (closing && inFlight.size === 0) server?.closeAllConnections();
  };
  const fastify = Fastify({
    serverFactory: (handler) =>
      (server = createLimitedServer(limits, (request, response) => {
        if (!closing && edge.serve(request, response)) return;
        inFlight.add(response);
        response.once('close', () => {
          inFlight.delete(response);
          endConnectionsWhenIdle();
        });
        handler(request, response);
      })),
    // Loading a large site can take longer than Fastify's default 10 s plugin timeout.
    pluginTimeout: 0,
    ...serverOptions,
    // Requests during shutdown are answered by the problems plugin (503 problem+json).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    schemaController: { compilersFactory: ZOD_COMPILERS },
  });
  // Not encapsulated: the service's decorators (content, swagger) are visible to whoever built it.
  await fastify.register(fp(app), { ...options, edge });
  // With a budget, each content version's page bodies are compressed in the background as soon as
  // it is loaded (between loads: a live edit never waits for it); without, on their first request.
  const precompressBudget = options.precompressMaxBytes ?? 0;
  const precompressor = createPrecompressor(precompressBudget, () => fastify.content.nextTurn());
  const precompress = async (snapshot: typeof fastify.content.snapshot): Promise<void> => {
    if (precompressBudget <= 0) return;
    const started = performance.now();
    return precompressor.run(snapshot).then(
      (result) => {
        if (result.outcome !== 'interrupted')
          fastify.log.info({ ...result, durationMs: Math.round(performance.now() - started) }, 'page bodies precompressed');
      },
      (error: Error) => fastify.log.warn({ err: error }, 'precompressing page bodies failed; they are compressed on first request'),
    );
  };
  // Shutdown: Fastify stops accepting and closes idle connections; once the last in-flight
  // response is written (or the grace period is over), every other connection is ended too:
  // kept-alive ones and ones whose request never finished arriving (a half-sent request would
  // otherwise keep server.close() waiting until its client gives up).
  fastify.addHook('preClose', (done) => {
    closing = true;
    precompressor.stop();
    edge.clear();
    setImmediate(endConnectionsWhenIdle);
    setTimeout(() => server?.closeAllConnections(), limits.shutdownGraceMs).unref();
    done();
  });
  // Each content version's published search index is built in the background too, a few pages
  // per turn of the event loop (between loads), so no search request builds it.
  const warmSearch = (snapshot: typeof fastify.content.snapshot): Promise<void> => {
    const started = performance.now();
    const isCurrent = () => !closing && fastify.content.snapshot === snapshot;
    const stillCurrent = async () => {
      await fastify.content.nextTurn();
      return isCurrent();
    };
    return stillCurrent()
      .then((current) => (current ? warmSiteIndex(snapshot.published.pages, 'published', stillCurrent) : undefined))
      .then(
        async () => {
          if (!isCurrent()) return;
          // Installs the ready index in the view (in turns too, if a request had the build take
          // another version's way meanwhile).
          if (!(await snapshot.published.searchable(SEARCH_INDEX_WAIT_MS)) || !isCurrent()) return;
          fastify.log.info({ durationMs: Math.round(performance.now() - started) }, 'search index ready');
          // The site-wide FAQ list takes every page's entries (tens of microseconds a page the first
          // time): made here a slice at a time, so no request spends hundreds of milliseconds on it.
          const { pages } = snapshot.published;
          for (let at = 0; at < pages.length; at += FAQ_PAGES_PER_TURN) {
            if (!(await stillCurrent())) return;
            for (const record of pages.slice(at, at + FAQ_PAGES_PER_TURN)) void record.faq;
          }
          if (isCurrent()) void snapshot.published.faqSearch;
        },
        (error: Error) => fastify.log.warn({ err: error }, 'indexing for search failed; the first search indexes'),
      )
      .catch((error: Error) => fastify.log.warn({ err: error }, 'gathering the FAQ failed; the first FAQ request gathers it'));
  };
  // The published index saved at the last clean shutdown, in the render cache folder under its
  // pack key: a warm start of the same content indexes nothing, and searches are answered at once.
  const savedIndex = options.cacheDir
    ? loadPackKey(options.cacheDir).then((packKey) => (packKey ? { dir: options.cacheDir!, root: options.contentDir, packKey } : null))
    : Promise.resolve(null);
  fastify.addHook('onClose', async () => {
    const place = await savedIndex;
    const { snapshot } = fastify.content;
    // Logged only when written: a warm start's restored index is in the file already.
    if (
      place &&
      snapshot.version &&
      (await saveSiteIndex(place, snapshot.version, snapshot.published.pages).catch(() => false)) === 'written'
    )
      fastify.log.info({ version: snapshot.version }, 'search index saved');
  });
  // The background work of the version served now (see backgroundSettled).
  let background: Promise<unknown> = Promise.resolve();
  fastify.decorate('backgroundSettled', async function backgroundSettled() {
    // Work replaced while awaited (a newer version's) is followed to the newest.
    let awaited: Promise<unknown> | undefined;
    while (awaited !== background) {
      awaited = background;
      await awaited;
    }
  });
  await fastify.ready();
  // A live edit served from a first load's listing, before the first version: not an update, but
  // what the edge remembered of the listing may be the page before it.
  fastify.content.onListingEdit(() => edge.clear());
  fastify.content.onUpdate(({ snapshot, version, previousVersion }) => {
    // The edge holds public responses only: a draft-only edit (same public version) purges nothing.
    if (version !== previousVersion) edge.clear();
    background = Promise.all([precompress(snapshot), warmSearch(snapshot)]);
  });
  // The first version (loaded before ready, or in the background after it) is not an update.
  background = fastify.content.loaded.then(async () => {
    const { snapshot } = fastify.content;
    const compressed = precompress(snapshot);
    const place = await savedIndex;
    const started = performance.now();
    if (place && (await restoreSiteIndex(place, snapshot.version, snapshot.published.pages).catch(() => false)))
      fastify.log.info({ version: snapshot.version, durationMs: Math.round(performance.now() - started) }, 'search index restored');
    // A version loaded meanwhile has its own work under way (onUpdate): this one's is what it replaced.
    if (fastify.content.snapshot === snapshot) background = Promise.all([compressed, warmSearch(snapshot)]);
    await background;
  });
  return fastify;
}
