import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { FaqEntrySchema, FaqListSchema, type FaqEntry, type FaqList } from '../../../schemas/faq.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { FaqParamsSchema, FaqQuerySchema, FormatOnlyQuerySchema } from '../../../schemas/query.ts';
import { wantsHtml } from '../../http/format.ts';
import { representHtml, representJson } from '../../http/representation.ts';
import { HttpProblem } from '../../http/problem.ts';

/** FAQ entries of every published page. */
const faq: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/faq', {
    schema: {
      tags: ['faq'],
      operationId: 'listFaq',
      summary: 'List FAQ entries, optionally matching words or from one page',
      description: 'Entries under the FAQ headings of published pages. `q` matches questions and answers, case-insensitively; `page` keeps one page\'s entries.',
      querystring: FaqQuerySchema,
      response: { 200: FaqListSchema, 304: NotModifiedSchema, 400: ProblemSchema },
    },
  }, async (request, reply) => {
    const { q, page, limit, offset } = request.query;
    const view = fastify.content.viewFor(request);
    const key = `faq?${new URLSearchParams({ q: q ?? '', page: page ?? '', limit: String(limit), offset: String(offset) })}`;
    return reply.represent(view.responses.get(key, () => {
      const needle = q?.toLowerCase();
      const matches = view.faq.filter(
        (entry) =>
          (!page || entry.page === page) &&
          (!needle || entry.question.toLowerCase().includes(needle) || entry.answer.text.toLowerCase().includes(needle)),
      );
      return representJson({ items: matches.slice(offset, offset + limit), total: matches.length } satisfies FaqList, view.modified);
    }));
  });

  fastify.get('/faq/:id', {
    schema: {
      tags: ['faq'],
      operationId: 'getFaqEntry',
      summary: 'Get one FAQ entry by its id',
      description: 'One question with its answer. As HTML, the answer fragment.',
      params: FaqParamsSchema,
      querystring: FormatOnlyQuerySchema,
      response: { 200: FaqEntrySchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
    },
    config: { html: true },
  }, async (request, reply) => {
    const view = fastify.content.viewFor(request);
    const entry = view.faq.find((candidate) => candidate.id === request.params.id);
    if (!entry) throw new HttpProblem(404, `No FAQ entry has the id "${request.params.id}".`);
    const html = wantsHtml(request, request.query.format);
    return reply.represent(view.responses.get(`faq:${html ? 'html' : 'json'}:${entry.page}#${entry.id}`, () =>
      html ? representHtml(entry.answer.html, view.modified) : representJson(entry satisfies FaqEntry, view.modified)));
  });
};

export default faq;
