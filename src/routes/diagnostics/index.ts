import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { DiagnosticReportSchema } from '../../../schemas/diagnostic.ts';
import { diagnosticReport, memoizeDiagnostics, SupersededVersion } from '../../content/checks/check-snapshot.ts';

export interface DiagnosticsRoutesOptions {
  /** The content folder the snapshots are loaded from (the checks read it once per version). */
  contentDir: string;
}

/**
 * The problems of the content being served, as `npm run check` reports them. They are computed
 * in the background once per content version, as soon as it is loaded (never on behalf of a
 * request: an anonymous client must not be able to start seconds of work), from what loading it
 * found (no page is read or parsed again), a few pages per turn of the event loop and only
 * between loads; requests are answered from memory, or wait for the run already under way.
 */
const diagnostics: FastifyPluginAsyncZod<DiagnosticsRoutesOptions> = async (fastify, options) => {
  // Requests waiting for each version's problems: a check they wait for is finished even once a
  // newer version is served (an author saving faster than a check runs would keep them waiting).
  const waiting = new Map<object, number>();
  const diagnose = memoizeDiagnostics(
    options.contentDir,
    () => fastify.content.nextTurn(),
    (snapshot) => fastify.content.snapshot === snapshot || waiting.has(snapshot),
  );
  let closed = false;
  const inBackground = (snapshot: typeof fastify.content.snapshot) => {
    if (closed) return;
    const started = performance.now();
    diagnose(snapshot).then(
      (found) =>
        fastify.log.info(
          { version: snapshot.version, diagnostics: found.length, durationMs: Math.round(performance.now() - started) },
          'content checked',
        ),
      (error: Error) => {
        if (!(error instanceof SupersededVersion))
          fastify.log.warn({ err: error }, 'checking content failed; the next version is checked again');
      },
    );
  };
  // The first version once it is served (loaded in the background, it may come before or after
  // onReady; updates announce the versions after it): checking must not delay the start.
  fastify.addHook('onReady', async () => {
    void fastify.content.loaded.then(() => setImmediate(() => inBackground(fastify.content.snapshot)));
  });
  const unsubscribe = fastify.content.onUpdate(({ snapshot }) => inBackground(snapshot));
  fastify.addHook('onClose', async () => {
    closed = true;
    unsubscribe();
  });

  fastify.get(
    '/diagnostics',
    {
      schema: {
        tags: ['service'],
        operationId: 'listDiagnostics',
        querystring: NoQuerySchema,
        summary: 'Content problems of the version being served',
        description:
          'Every problem `npm run check` reports for the content being served: code, severity, file (relative to the content folder), ' +
          'line, column, field, message and hint. Problems in drafts, and in files whose front matter cannot be read (they may be drafts), ' +
          'are listed only with a preview token. Never cached.',
        response: { 200: DiagnosticReportSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', request.preview ? 'private, no-store' : 'no-store');
      const { snapshot } = fastify.content;
      const view = fastify.content.viewFor(request);
      waiting.set(snapshot, (waiting.get(snapshot) ?? 0) + 1);
      try {
        return diagnosticReport(snapshot, await diagnose(snapshot), view, request.preview);
      } finally {
        const left = waiting.get(snapshot)! - 1;
        if (left === 0) waiting.delete(snapshot);
        else waiting.set(snapshot, left);
      }
    },
  );
};

export default diagnostics;
