import fp from 'fastify-plugin';
import Negotiator from 'negotiator';
import { mediaTypesOf, notAcceptableDetail } from '../http/media-types.ts';
import { HttpProblem } from '../http/problem.ts';

/**
 * Content negotiation for the API routes (those with a response schema): a request whose Accept
 * header admits none of the route's media types is answered 406 before any work is done, rather
 * than with a body the client said it cannot use. The docs UI and its assets are left alone.
 */
export default fp(
  async (fastify) => {
    fastify.addHook('onRequest', async (request) => {
      if (request.is404 || !request.headers.accept || !request.routeOptions.schema?.response) return;
      const offered = mediaTypesOf(request.routeOptions.config);
      if (new Negotiator({ headers: { accept: request.headers.accept } }).mediaType([...offered]) === undefined) {
        throw new HttpProblem(406, notAcceptableDetail(offered));
      }
    });
  },
  { name: 'negotiation', dependencies: ['problems'] },
);
