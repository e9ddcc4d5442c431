import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FaqEntrySchema, FaqListSchema } from '../../../schemas/faq.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { FaqParamsSchema, FaqQuerySchema, FormatOnlyQuerySchema } from '../../../schemas/query.ts';
import { sendHtml, wantsHtml } from '../../http/format.ts';
import { HttpProblem } from '../../http/problem.ts';

/** FAQ entries of every published page. */
const faq: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/faq', {
    schema: {
      tags: ['faq'],
      summary: 'List FAQ entries, optionally matching words or from one page',
      querystring: FaqQuerySchema,
      response: { 200: FaqListSchema, 400: ProblemSchema },
    },
  }, async (request) => {
    const { q, page, limit, offset } = request.query;
    const needle = q?.toLowerCase();
    const matches = fastify.content.viewFor(request).faq.filter(
      (entry) =>
        (!page || entry.page === page) &&
        (!needle || entry.question.toLowerCase().includes(needle) || entry.answer.text.toLowerCase().includes(needle)),
    );
    return { items: matches.slice(offset, offset + limit), total: matches.length };
  });

  fastify.get('/faq/:id', {
    schema: {
      tags: ['faq'],
      summary: 'Get one FAQ entry by its id',
      params: FaqParamsSchema,
      querystring: FormatOnlyQuerySchema,
      response: { 200: FaqEntrySchema, 400: ProblemSchema, 404: ProblemSchema },
    },
    config: { html: true },
  }, async (request, reply) => {
    const entry = fastify.content.viewFor(request).faq.find((candidate) => candidate.id === request.params.id);
    if (!entry) throw new HttpProblem(404, `No FAQ entry has the id "${request.params.id}".`);
    if (wantsHtml(request, request.query.format)) return sendHtml(reply, entry.answer.html);
    return entry;
  });
};

export default faq;
