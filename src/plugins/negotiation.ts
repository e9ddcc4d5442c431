import fp from 'fastify-plugin';
import { mediaTypesOf, notAcceptableDetail, preferredMediaType } from '../http/media-types.ts';
import { HttpProblem } from '../http/problem.ts';

/**
 * Content negotiation for the API routes (those with a response schema): a request whose Accept
 * header admits none of the route's media types is answered 406 before any work is done, rather
 * than with a body the client said it cannot use. The docs UI and its assets are left alone, and
 * so are routes that negotiate themselves (assets: the file decides its type).
 */
export default fp(
  async (fastify) => {
    // A callback hook, not an async one: it runs on every request, and most have nothing to do.
    fastify.addHook('onRequest', (request, _reply, done) => {
      const accept = request.headers.accept;
      const { config, schema } = request.routeOptions;
      if (!accept || accept === '*/*' || request.is404 || !schema?.response || config.negotiatesItself) return done();
      const offered = mediaTypesOf(config);
      if (preferredMediaType(accept, offered) === undefined) return done(new HttpProblem(406, notAcceptableDetail(offered)));
      done();
    });
  },
  { name: 'negotiation', dependencies: ['problems'] },
);
