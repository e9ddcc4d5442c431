import Fastify, { type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { createServer } from 'node:http';
import app, { type AppOptions } from './app.ts';
import { createEdgeCache } from './http/edge-cache.ts';
import { createPrecompressor } from './http/precompress.ts';
import { MAX_PATH_PARAM_LENGTH } from './http/problem.ts';
import { answerFrameworkError } from './plugins/problems.ts';

/** Creates a ready-to-use instance of the service (what server.ts listens with and tests inject into). */
export async function buildApp(options: AppOptions, serverOptions: FastifyServerOptions = { logger: false }) {
  // Identical repeat requests for public content are answered before routing (see edge-cache.ts).
  const edge = createEdgeCache();
  let closing = false;
  const fastify = Fastify({
    serverFactory: (handler) =>
      createServer((request, response) => {
        if (closing || !edge.serve(request, response)) handler(request, response);
      }),
    // Loading a large site can take longer than Fastify's default 10 s plugin timeout.
    pluginTimeout: 0,
    ...serverOptions,
    // Requests during shutdown are answered by the problems plugin (503 problem+json).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
  });
  // Not encapsulated: the service's decorators (content, swagger) are visible to whoever built it.
  await fastify.register(fp(app), { ...options, edge });
  // Each content version's page bodies are compressed in the background as soon as it is loaded.
  const precompressor = createPrecompressor(options.precompressMaxBytes ?? 128 * 1024 * 1024);
  const precompress = (snapshot: typeof fastify.content.snapshot) => {
    const started = performance.now();
    precompressor.run(snapshot).then(
      (result) => {
        if (result.outcome !== 'interrupted') fastify.log.info({ ...result, durationMs: Math.round(performance.now() - started) }, 'page bodies precompressed');
      },
      (error: Error) => fastify.log.warn({ err: error }, 'precompressing page bodies failed; they are compressed on first request'),
    );
  };
  fastify.addHook('preClose', (done) => {
    closing = true;
    precompressor.stop();
    edge.clear();
    done();
  });
  await fastify.ready();
  fastify.content.onUpdate(({ snapshot, version, previousVersion }) => {
    // The edge holds public responses only: a draft-only edit (same public version) purges nothing.
    if (version !== previousVersion) edge.clear();
    precompress(snapshot);
  });
  // The first version (loaded before ready, or in the background after it) is not an update.
  void fastify.content.loaded.then(() => precompress(fastify.content.snapshot));
  return fastify;
}
