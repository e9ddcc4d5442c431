import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import {
  PageListSchema,
  PageSchema,
  SectionListSchema,
  type PageList,
  type PageListItem,
  type PageSummary,
  type SectionList,
} from '../../../schemas/page.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import {
  FormatOnlyQuerySchema,
  NoQuerySchema,
  PageListQuerySchema,
  SectionParamsSchema,
  SlugParamsSchema,
  TocQuerySchema,
  whereConditions,
} from '../../../schemas/query.ts';
import { PageNavigationSchema, TableOfContentsSchema, type PageNavigation, type TableOfContents } from '../../../schemas/navigation.ts';
import { SectionSchema, type Section } from '../../../schemas/section.ts';
import { tableOfContents } from '../../discovery/toc.ts';
import { wantsHtml } from '../../http/format.ts';
import { canonicalQuery } from '../../http/query-key.ts';
import { representHtml, representJson } from '../../http/representation.ts';
import { HttpProblem } from '../../http/problem.ts';
import { sectionFragmentHtml, toPlainSection } from '../../markdown/sections.ts';
import { setAt, valueAt } from '../../discovery/front-matter-query.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { ContentView } from '../../model/content-view.ts';

/** Pages and their sections. Handlers only look things up in the snapshot. */
const pages: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/pages',
    {
      schema: {
        tags: ['pages'],
        operationId: 'listPages',
        summary: 'List published pages: filter, sort, pick fields, page through',
        description:
          'Published pages that match every filter given (`type`, `layout`, `category`, `tag`, `since`/`until` on the publication date, ' +
          '`path` prefix of the permalink, and `where` conditions on any field or front-matter path), in the order asked for (`sort`, `order`; slug A to Z by default), `limit` at a time ' +
          '(at most 100, default 20). `fields` keeps only the fields named (front-matter paths too, e.g. `front_matter.header.teaser`). Page through with the `next` link (a cursor that stays ' +
          'valid when content changes) or with `offset`. An unknown parameter is refused with 400. Drafts are never listed.',
        querystring: PageListQuerySchema,
        response: { 200: PageListSchema, 304: NotModifiedSchema, 400: ProblemSchema, 503: ProblemSchema },
      },
      // While a first load renders, a list whose order and filters need no render is answered from its listing.
      config: { listed: (request) => !needsRenders(request.query as Record<string, unknown>) },
    },
    async (request, reply) => {
      const query = { ...request.query, where: whereConditions(request.query.where) };
      const path = request.url.split('?')[0];
      // `where` is repeated in links (its values may hold commas): every other parameter is one value.
      const whereQuery = (query.where ?? [])
        .map((condition) => `where=${encodeURIComponent(condition)}`)
        .sort()
        .join('&');
      const withWhere = (rest: string) => [rest, whereQuery].filter(Boolean).join('&');
      const canonical = withWhere(canonicalQuery({ ...query, where: undefined }));
      const answerFrom = (view: ContentView) =>
        view.responses.getInTurns(`pages?${canonical}`, async () => {
          const listed = await view.listing.listInTurns(query);
          const answer = { ...listed, items: await renderedItems(listed.items) };
          const fields = query.fields;
          const link = (changes: Record<string, string | undefined>) =>
            `${path}?${withWhere(canonicalQuery({ ...query, where: undefined, ...changes }))}`;
          return representJson(
            {
              items: answer.items.map((record) => (fields ? pickFields(record, fields) : record.summary)),
              total: answer.total,
              limit: query.limit,
              offset: answer.offset,
              next: answer.nextCursor === null ? null : link({ cursor: answer.nextCursor, offset: undefined }),
              prev:
                answer.offset > 0 && answer.total > 0
                  ? link({ cursor: undefined, offset: String(Math.max(0, answer.offset - query.limit)) })
                  : null,
              next_cursor: answer.nextCursor,
            } satisfies PageList,
            view.modified,
          );
        });
      try {
        return reply.represent(await answerFrom(fastify.content.viewFor(request)));
      } catch (error) {
        if (!(error instanceof ListedPageFailed)) throw error;
        // The first load left that page out: its version answers, once served (a few seconds at most).
        if (await fastify.content.firstVersion()) return reply.represent(await answerFrom(fastify.content.viewFor(request)));
        reply.header('retry-after', String(LISTING_RETRY_AFTER_SECONDS));
        throw new HttpProblem(503, 'A page of this list could not be rendered, and the content is still loading; retry in a moment.');
      }
    },
  );

  fastify.get(
    '/pages/:slug',
    {
      schema: {
        tags: ['pages'],
        operationId: 'getPage',
        summary: 'Get a page: front matter, HTML, sections, table of contents, FAQ and actions',
        description: 'The whole page as JSON, or its rendered HTML fragment with `Accept: text/html` or `?format=html`.',
        params: SlugParamsSchema,
        querystring: FormatOnlyQuerySchema,
        response: { 200: PageSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
      config: { html: true, listed: true },
    },
    async (request, reply) => {
      const record = await findPage(fastify.content.viewFor(request), request.params.slug);
      return reply.represent(wantsHtml(request, request.query.format) ? record.html : record.json);
    },
  );

  fastify.get(
    '/pages/:slug/sections',
    {
      schema: {
        tags: ['pages'],
        operationId: 'listSections',
        summary: 'List the sections of a page, as a tree',
        description: 'The page body split at its headings; each section holds its subsections. As HTML, the whole page fragment.',
        params: SlugParamsSchema,
        querystring: FormatOnlyQuerySchema,
        response: { 200: SectionListSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
      config: { html: true, listed: true },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      const record = await findPage(view, request.params.slug);
      if (wantsHtml(request, request.query.format)) return reply.represent(record.html);
      return reply.represent(
        view.responses.get(`sections:${record.summary.slug}`, () =>
          representJson({ page: record.summary.slug, items: record.page.sections } satisfies SectionList, record.modified),
        ),
      );
    },
  );

  fastify.get(
    '/pages/:slug/sections/:id',
    {
      schema: {
        tags: ['pages'],
        operationId: 'getSection',
        summary: 'Get one section of a page by its heading id',
        description: 'One section and its subsections. As HTML, the section with its heading: embed it as it is.',
        params: SectionParamsSchema,
        querystring: FormatOnlyQuerySchema,
        response: { 200: SectionSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
      config: { html: true, listed: true },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      const record = await findPage(view, request.params.slug);
      const section = record.section(request.params.id);
      if (!section) throw new HttpProblem(404, `Page "${record.summary.slug}" has no section "${request.params.id}".`);
      const html = wantsHtml(request, request.query.format);
      return reply.represent(
        view.responses.get(`section:${html ? 'html' : 'json'}:${record.summary.slug}#${section.id}`, () =>
          html
            ? representHtml(sectionFragmentHtml(section), record.modified)
            : representJson(toPlainSection(section) satisfies Section, record.modified),
        ),
      );
    },
  );

  fastify.get(
    '/pages/:slug/toc',
    {
      schema: {
        tags: ['pages'],
        operationId: 'getTableOfContents',
        summary: 'Get the table of contents of a page, as its front matter asks for it',
        description:
          'The headings of the page as a tree, `depth` levels deep (counted from its top heading level), with the label, icon and ' +
          'stickiness from `toc_label`, `toc_icon` and `toc_sticky`. Only a page with `toc: true` has one: for the others `enabled` is false and `items` empty.',
        params: SlugParamsSchema,
        querystring: TocQuerySchema,
        response: { 200: TableOfContentsSchema, 304: NotModifiedSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
      config: { listed: true },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      const record = await findPage(view, request.params.slug);
      const { depth } = request.query;
      return reply.represent(
        view.responses.get(`toc:${record.summary.slug}:${depth}`, () =>
          representJson(tableOfContents(record, depth) satisfies TableOfContents, record.modified),
        ),
      );
    },
  );

  fastify.get(
    '/pages/:slug/navigation',
    {
      schema: {
        tags: ['navigation'],
        operationId: 'getPageNavigation',
        querystring: NoQuerySchema,
        summary: 'Get the breadcrumbs and the previous and next pages of a page',
        description:
          'Breadcrumbs from the site root to the page (each parent path that a page is served at), and the previous and next pages: ' +
          "by date within a collection (older before newer, as Jekyll's page.previous and page.next), by permalink among the plain pages of a folder.",
        params: SlugParamsSchema,
        response: { 200: PageNavigationSchema, 304: NotModifiedSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      const record = await findPage(view, request.params.slug);
      return reply.represent(
        view.responses.get(`page-navigation:${record.summary.slug}`, () =>
          representJson(view.navigationOf(record) satisfies PageNavigation, view.modified),
        ),
      );
    },
  );
};

/** A summary with only `fields` (and the slug, which identifies it); front-matter paths keep their nesting. */
function pickFields(record: PageRecord, fields: readonly string[]): PageListItem {
  const item: Record<string, unknown> = { slug: record.summary.slug };
  for (const field of fields) {
    if (!field.startsWith('front_matter.')) item[field] = record.summary[field as keyof PageSummary];
    else {
      const value = valueAt(record, field);
      if (value !== undefined) setAt(item, field, value);
    }
  }
  return item as PageListItem;
}

/** A record as served: a page listed before its render (PageRecord.rendered) once rendered; undefined if that failed. */
function renderedRecord(record: PageRecord): PageRecord | Promise<PageRecord | undefined> {
  return record.rendered ? record.rendered() : record;
}

/** The page with this slug, once rendered (see renderedRecord): a page whose render failed is not served. */
function findPage(view: ContentView, slug: string): PageRecord | Promise<PageRecord> {
  const record = view.bySlug.get(slug);
  const served = record && renderedRecord(record);
  if (!(served instanceof Promise)) return served ?? notFound(slug);
  return served.then((rendered) => rendered ?? notFound(slug));
}

function notFound(slug: string): never {
  throw new HttpProblem(404, `No page has the slug "${slug}".`);
}

/** Seconds a list answered 503 while a first load renders is asked to wait (see ListedPageFailed). */
const LISTING_RETRY_AFTER_SECONDS = 1;

/**
 * A list of a first load's listing holds a page whose render failed: the load leaves that page
 * out, so the listing's list (its total, its pages) is not the one the loaded version answers,
 * and it is not answered. The loaded version answers it, once served.
 */
class ListedPageFailed extends Error {}

/** The items of a list answered from a first load's listing, once rendered (see {@link ListedPageFailed}). */
async function renderedItems(items: readonly PageRecord[]): Promise<PageRecord[]> {
  if (!items.some((record) => record.rendered)) return items as PageRecord[];
  const rendered = await Promise.all(items.map(async (record) => renderedRecord(record)));
  if (rendered.every((record) => record !== undefined)) return rendered;
  throw new ListedPageFailed();
}

/** Whether a list's order or filters read what only renders give: a title from the first heading, or an excerpt. */
function needsRenders(query: Record<string, unknown>): boolean {
  const where = ([] as unknown[]).concat(query.where ?? []);
  return query.sort === 'title' || where.some((condition) => typeof condition === 'string' && /^(?:title|excerpt):/.test(condition));
}

export default pages;
