import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoQuerySchema } from '../../../schemas/query.ts';
import { DiagnosticReportSchema } from '../../../schemas/diagnostic.ts';
import { diagnosticReport, memoizeDiagnostics } from '../../content/checks/check-snapshot.ts';

export interface DiagnosticsRoutesOptions {
  /** The content folder the snapshots are loaded from (the checks read it once per version). */
  contentDir: string;
}

/**
 * The problems of the content being served, as `npm run check` reports them. They are computed
 * once per content version, on the first request for it; every other request only looks them up.
 */
const diagnostics: FastifyPluginAsyncZod<DiagnosticsRoutesOptions> = async (fastify, options) => {
  const diagnose = memoizeDiagnostics(options.contentDir);

  fastify.get('/diagnostics', {
    schema: {
      tags: ['service'],
      operationId: 'listDiagnostics',
      querystring: NoQuerySchema,
      summary: 'Content problems of the version being served',
      description:
        'Every problem `npm run check` reports for the content being served: code, severity, file (relative to the content folder), ' +
        'line, column, field, message and hint. Problems in drafts are listed only with a preview token. Never cached.',
      response: { 200: DiagnosticReportSchema },
    },
  }, async (request, reply) => {
    const { snapshot } = fastify.content;
    const view = fastify.content.viewFor(request);
    reply.header('cache-control', request.preview ? 'private, no-store' : 'no-store');
    return diagnosticReport(snapshot, await diagnose(snapshot), view);
  });
};

export default diagnostics;
