import type { FastifyInstance } from 'fastify';

/**
 * The methods answered at this path, when a route is declared for it: then a request with another
 * method gets 405 and a plain OPTIONS gets 204, each with them in Allow; otherwise (an empty list)
 * the path is not one of the API's. Catch-all routes (CORS preflight on `*`, static assets) answer
 * many paths, so they do not make a path exist; they only add their method to one that does.
 */
export function allowedMethods(fastify: FastifyInstance, path: string): string[] {
  const matches = fastify.supportedMethods
    .map((method) => ({ method, route: fastify.findRoute({ method: method, url: path }) }))
    .filter((match) => match.route !== null);
  const declared = matches.some(({ route }) => {
    const rest = (route?.params as Record<string, string> | undefined)?.['*'];
    // Under /v1/ a catch-all below a prefix is a resource of the API (the site's files under
    // /v1/assets/): its paths exist. The one on `*` (CORS preflight) matches every path.
    return rest === undefined || (path.startsWith('/v1/') && rest !== path && rest !== path.slice(1));
  });
  return declared ? matches.map(({ method }) => method) : [];
}
