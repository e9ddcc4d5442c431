import fp from 'fastify-plugin';

/**
 * The policy of HTML fragments opened on their own (a link to `?format=html`, a sniffing
 * proxy): nothing runs, nothing loads but images and media, nothing may frame them, and
 * `sandbox` gives the document a unique origin, so even a script the sanitizer missed reaches
 * neither this origin's storage nor its cookies. Frontends embed fragments into their own
 * pages, where their own policy applies (see README, "Embedding HTML fragments").
 */
export const FRAGMENT_CSP =
  "default-src 'none'; img-src 'self' https: data:; media-src 'self' https:; style-src 'unsafe-inline'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/** Every other response is data: it loads nothing and is never framed. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Security headers on every response, errors included (an onSend hook, so responses the edge
 * cache replays carry them too, as they were routed): `X-Content-Type-Options: nosniff` (a JSON
 * body is never run as a script or rendered as HTML), `Referrer-Policy: no-referrer`, and a
 * Content-Security-Policy: {@link FRAGMENT_CSP} on HTML, {@link DATA_CSP} on the rest. A route
 * that sets its own policy keeps it (/docs: Swagger UI's, which admits its own files).
 */
export default fp(
  async (fastify) => {
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      if (!reply.hasHeader('content-security-policy')) {
        const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
        reply.header('content-security-policy', html ? FRAGMENT_CSP : DATA_CSP);
      }
      done(null, payload);
    });
  },
  { name: 'security-headers' },
);
