import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { PageListSchema, PageSchema, SectionListSchema, type PageList, type SectionList } from '../../../schemas/page.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { FormatOnlyQuerySchema, PagingQuerySchema, SectionParamsSchema, SlugParamsSchema } from '../../../schemas/query.ts';
import { SectionSchema, type Section } from '../../../schemas/section.ts';
import { wantsHtml } from '../../http/format.ts';
import { representHtml, representJson } from '../../http/representation.ts';
import { HttpProblem } from '../../http/problem.ts';
import { sectionFragmentHtml, toPlainSection } from '../../markdown/sections.ts';

/** Pages and their sections. Handlers only look things up in the snapshot. */
const pages: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/pages', {
    schema: {
      tags: ['pages'],
      operationId: 'listPages',
      summary: 'List published pages',
      description: 'Published pages in slug order, `limit` at a time (1 to 100, default 20) from `offset`. Drafts are never listed.',
      querystring: PagingQuerySchema,
      response: { 200: PageListSchema, 304: NotModifiedSchema, 400: ProblemSchema },
    },
  }, async (request, reply) => {
    const { limit, offset } = request.query;
    const view = fastify.content.viewFor(request);
    return reply.represent(view.responses.get(`pages?limit=${limit}&offset=${offset}`, () =>
      representJson({
        items: view.pages.slice(offset, offset + limit).map((record) => record.summary),
        total: view.pages.length,
        limit,
        offset,
      } satisfies PageList, view.modified)));
  });

  fastify.get('/pages/:slug', {
    schema: {
      tags: ['pages'],
      operationId: 'getPage',
      summary: 'Get a page: front matter, HTML, sections, table of contents, FAQ and actions',
      description: 'The whole page as JSON, or its rendered HTML fragment with `Accept: text/html` or `?format=html`.',
      params: SlugParamsSchema,
      querystring: FormatOnlyQuerySchema,
      response: { 200: PageSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
    },
    config: { html: true },
  }, async (request, reply) => {
    const record = findPage(fastify.content.viewFor(request), request.params.slug);
    return reply.represent(wantsHtml(request, request.query.format) ? record.html : record.json);
  });

  fastify.get('/pages/:slug/sections', {
    schema: {
      tags: ['pages'],
      operationId: 'listSections',
      summary: 'List the sections of a page, as a tree',
      description: 'The page body split at its headings; each section holds its subsections. As HTML, the whole page fragment.',
      params: SlugParamsSchema,
      querystring: FormatOnlyQuerySchema,
      response: { 200: SectionListSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
    },
    config: { html: true },
  }, async (request, reply) => {
    const view = fastify.content.viewFor(request);
    const record = findPage(view, request.params.slug);
    if (wantsHtml(request, request.query.format)) return reply.represent(record.html);
    return reply.represent(view.responses.get(`sections:${record.summary.slug}`, () =>
      representJson({ page: record.summary.slug, items: record.page.sections } satisfies SectionList, record.modified)));
  });

  fastify.get('/pages/:slug/sections/:id', {
    schema: {
      tags: ['pages'],
      operationId: 'getSection',
      summary: 'Get one section of a page by its heading id',
      description: 'One section and its subsections. As HTML, the section with its heading: embed it as it is.',
      params: SectionParamsSchema,
      querystring: FormatOnlyQuerySchema,
      response: { 200: SectionSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
    },
    config: { html: true },
  }, async (request, reply) => {
    const view = fastify.content.viewFor(request);
    const record = findPage(view, request.params.slug);
    const section = record.sectionsById.get(request.params.id);
    if (!section) throw new HttpProblem(404, `Page "${record.summary.slug}" has no section "${request.params.id}".`);
    const html = wantsHtml(request, request.query.format);
    return reply.represent(view.responses.get(`section:${html ? 'html' : 'json'}:${record.summary.slug}#${section.id}`, () =>
      html
        ? representHtml(sectionFragmentHtml(section), record.modified)
        : representJson(toPlainSection(section) satisfies Section, record.modified)));
  });
};

function findPage(view: ReturnType<import('fastify').FastifyInstance['content']['viewFor']>, slug: string) {
  const record = view.bySlug.get(slug);
  if (!record) throw new HttpProblem(404, `No page has the slug "${slug}".`);
  return record;
}

export default pages;
