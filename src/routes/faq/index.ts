import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { FaqEntrySchema, FaqListSchema, FaqPageJsonLdSchema, type FaqEntry, type FaqList } from '../../../schemas/faq.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { FaqParamsSchema, FaqQuerySchema, FormatOnlyQuerySchema } from '../../../schemas/query.ts';
import { faqPageJsonLdText } from '../../discovery/faq-jsonld.ts';
import { wantsHtml } from '../../http/format.ts';
import { JSON_MEDIA_TYPE, preferredMediaType } from '../../http/media-types.ts';
import { representHtml, representInSteps, representJson } from '../../http/representation.ts';
import { HttpProblem, SEARCH_INDEX_WAIT_MS, rethrowSearchRefusal, untilSearchable } from '../../http/problem.ts';
import type { RankingQueue } from '../../model/search.ts';
import { runAtOnce } from '../../content/steps.ts';

const JSON_LD_MEDIA_TYPE = 'application/ld+json';
const JSON_LD_CONTENT_TYPE = `${JSON_LD_MEDIA_TYPE}; charset=utf-8`;
/** Entries whose FAQPage JSON-LD is written at once (a few milliseconds): a page's, or a query's few. */
const JSON_LD_AT_ONCE = 200;

/** JSON-LD when asked for by `format=jsonld`, or by an Accept header that prefers it to plain JSON. */
function wantsJsonLd(accept: string | undefined, format: 'json' | 'jsonld' | undefined): boolean {
  if (format) return format === 'jsonld';
  return preferredMediaType(accept, [JSON_MEDIA_TYPE, JSON_LD_MEDIA_TYPE]) === JSON_LD_MEDIA_TYPE;
}

export interface FaqRoutesOptions {
  /** The app's one queue of rankings (app.ts), shared with search: ranking by `q` waits its turn in it. */
  rankingQueue: RankingQueue;
  /** Milliseconds a query by `q` waits for the search index of its content version while it is built (default SEARCH_INDEX_WAIT_MS). */
  indexWaitMs?: number;
}

/** FAQ entries of every published page. */
const faq: FastifyPluginAsyncZod<FaqRoutesOptions> = async (fastify, { rankingQueue, indexWaitMs }) => {
  fastify.get(
    '/faq',
    {
      schema: {
        tags: ['faq'],
        operationId: 'listFaq',
        summary: 'List FAQ entries, ranked by relevance to words, or as schema.org FAQPage JSON-LD',
        description:
          'Entries under the FAQ headings of published pages. `q` ranks them by relevance: entries whose question matches come first, ' +
          'then those where only the answer does (typos and word beginnings match too); without `q`, in page and document order. ' +
          "`page` keeps one page's entries. `format=jsonld` (or `Accept: application/ld+json`) answers every matching entry as a " +
          'schema.org FAQPage, for a `script` element of type application/ld+json in the page. Ranking by `q` is bounded as search is ' +
          '(12 words, each matching at most 50 indexed words) and shares its ranking time (SEARCH_RANKING_MS_PER_S): a new query beyond ' +
          `it gets 503 with Retry-After, and so does one that finds the search index still being built after a start (it waits up to ${SEARCH_INDEX_WAIT_MS / 1000} s first). So does a FAQPage of more than 200 entries, which is written in turn with rankings, the first ` +
          'time it is asked for in a content version.',
        querystring: FaqQuerySchema,
        response: { 200: FaqListSchema, 304: NotModifiedSchema, 400: ProblemSchema, 503: ProblemSchema },
      },
      // The list is the JSON form; the JSON-LD form has its own schema under its own media type.
      config: { produces: [JSON_MEDIA_TYPE, JSON_LD_MEDIA_TYPE], bodies: { [JSON_LD_MEDIA_TYPE]: FaqPageJsonLdSchema } },
    },
    async (request, reply) => {
      const { q, page, limit, offset, format } = request.query;
      const view = fastify.content.viewFor(request);
      const jsonLd = wantsJsonLd(request.headers.accept, format);
      const key = `faq?${new URLSearchParams({ q: q ?? '', page: page ?? '', limit: String(limit), offset: String(offset), jsonld: String(jsonLd) })}`;
      if (q) await untilSearchable(view, reply, indexWaitMs);
      try {
        // Ranked once per query's words (the ranking is kept), in turn with searches.
        const ranked = q ? await view.faqSearch.rankInTurns(q, rankingQueue) : view.faq;
        const matches = page ? ranked.filter((entry) => entry.page === page) : ranked;
        if (!jsonLd) {
          return reply.represent(
            view.responses.get(key, () =>
              representJson({ items: matches.slice(offset, offset + limit), total: matches.length } satisfies FaqList, view.modified),
            ),
          );
        }
        // Every matching entry, each answer inflated from its page: a page's few at once, the
        // whole site's thousands (17 MB at 10,000 pages) in turns with rankings.
        const steps = () => representInSteps(faqPageJsonLdText(matches), JSON_LD_CONTENT_TYPE, view.modified);
        return reply.represent(
          matches.length <= JSON_LD_AT_ONCE
            ? view.responses.get(key, () => runAtOnce(steps()))
            : await view.responses.getInTurns(key, () => rankingQueue.run(steps())),
        );
      } catch (error) {
        rethrowSearchRefusal(error, reply);
      }
    },
  );

  fastify.get(
    '/faq/:id',
    {
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
    },
    async (request, reply) => {
      const view = fastify.content.viewFor(request);
      const entry = view.faq.find((candidate) => candidate.id === request.params.id);
      if (!entry) throw new HttpProblem(404, `No FAQ entry has the id "${request.params.id}".`);
      const html = wantsHtml(request, request.query.format);
      return reply.represent(
        view.responses.get(`faq:${html ? 'html' : 'json'}:${entry.page}#${entry.id}`, () =>
          html ? representHtml(entry.answer.html, view.modified) : representJson(entry satisfies FaqEntry, view.modified),
        ),
      );
    },
  );
};

export default faq;
