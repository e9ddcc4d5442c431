import compress from '@fastify/compress';
import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allowedMethods } from '../http/allowed-methods.ts';
import type { EdgeCache } from '../http/edge-cache.ts';
import { cachePolicy, sendRepresentation } from '../http/representation.ts';
import type { Representation } from '../model/representation.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a representation serialized when content loaded, with caching headers and precompressed bodies. */
    represent(representation: Representation): FastifyReply;
  }
  interface FastifyRequest {
    /** Whether the request bears a valid preview token (and so may see drafts). */
    preview: boolean;
  }
}

export interface DeliveryOptions {
  /** The response cache in front of the router (see build-app.ts); absent in tests that inject. */
  edge?: EdgeCache;
  maxAge: number;
  staleWhileRevalidate: number;
  /** Origins allowed by CORS: ['*'] for any. */
  corsOrigins: string[];
}

/**
 * How responses leave the service: CORS for browsers, OPTIONS for everyone else (Allow), HTTP
 * caching and precompressed bodies for content (reply.represent), and @fastify/compress for the
 * few responses that are not precomputed (the OpenAPI document, docs assets).
 */
export default fp<DeliveryOptions>(
  async (fastify, options) => {
    // An OPTIONS request that is no CORS preflight (it has no Access-Control-Request-Method) asks
    // which methods a path takes (RFC 9110): 204 with Allow, or 404 for a path that is not one.
    // Before CORS, whose preflight handling would refuse it as a broken preflight.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] !== undefined) return done();
      const allowed = allowedMethods(fastify, request.url.split('?')[0]);
      if (allowed.length === 0) return reply.callNotFound();
      reply.code(204).header('allow', allowed.join(', ')).send();
    });
    await fastify.register(cors, {
      origin: options.corsOrigins.includes('*') ? '*' : options.corsOrigins,
      methods: ['GET', 'HEAD'],
      exposedHeaders: ['ETag', 'Last-Modified'],
      maxAge: 86400,
    });
    // Precompressed content responses already carry Content-Encoding and are left alone.
    await fastify.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });

    const policy = cachePolicy(options.maxAge, options.staleWhileRevalidate);
    fastify.decorateRequest('preview', false);
    const { edge } = options;
    // The response cache's generation when each request came, before its route read any content:
    // a route that waits (a listed page's render, a body read from disk) may answer with content
    // read before a clear, and must not have it remembered after it (see EdgeCache.remember).
    const begun = new WeakMap<FastifyRequest, number>();
    if (edge) {
      fastify.addHook('onRequest', (request, _reply, done) => {
        begun.set(request, edge.generation);
        done();
      });
    }
    const represented = new WeakMap<FastifyReply, { representation: Representation; generation: number }>();
    fastify.decorateReply('represent', function (this: FastifyReply, representation: Representation) {
      const generation = begun.get(this.request);
      if (generation !== undefined) represented.set(this, { representation, generation });
      return sendRepresentation(this.request, this, representation, policy, { private: this.request.preview });
    });
    if (edge) {
      fastify.addHook('onResponse', (request, reply, done) => {
        const sent = represented.get(reply);
        if (sent) edge.remember(request, reply, sent.representation, sent.generation);
        done();
      });
    }
  },
  { name: 'delivery' },
);
