import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';

export interface PreviewOptions {
  /** The preview token (PREVIEW_TOKEN); without one, preview is off and Authorization is ignored. */
  token?: string;
}

/**
 * Draft preview: a request bearing `Authorization: Bearer <token>` with the configured token
 * sees drafts (`request.preview`), and its responses are `private, no-store`. Any other request,
 * a wrong token included, is an ordinary public one: drafts do not exist for it (404), and
 * public content is served as usual, so a probe learns nothing. Tokens are compared as SHA-256
 * digests with timingSafeEqual: equal lengths, and no timing that depends on the token.
 */
export default fp<PreviewOptions>(
  async (fastify, options) => {
    if (!options.token) return;
    const expected = digest(options.token);

    fastify.addHook('onRequest', (request, _reply, done) => {
      const presented = bearerToken(request.headers.authorization);
      if (presented !== null && timingSafeEqual(digest(presented), expected)) request.preview = true;
      done();
    });

    // The same URL answers differently with a token: shared caches must keep the two apart.
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      const vary = reply.getHeader('vary');
      const values =
        vary === undefined
          ? []
          : String(vary)
              .split(',')
              .map((value) => value.trim());
      if (!values.some((value) => value.toLowerCase() === 'authorization' || value === '*')) {
        reply.header('vary', [...values.filter(Boolean), 'Authorization'].join(', '));
      }
      done(null, payload);
    });
  },
  { name: 'preview', dependencies: ['delivery'] },
);

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return match ? match[1] : null;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
