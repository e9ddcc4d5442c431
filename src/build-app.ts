import Fastify, { type FastifyServerOptions } from 'fastify';
import app, { type AppOptions } from './app.ts';

/** Creates a ready-to-use instance of the service (what server.ts listens with and tests inject into). */
export async function buildApp(options: AppOptions, serverOptions: FastifyServerOptions = { logger: false }) {
  const fastify = Fastify({ ...serverOptions, return503OnClosing: true, forceCloseConnections: 'idle' });
  await fastify.register(app, options);
  await fastify.ready();
  return fastify;
}
