import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotModifiedSchema } from '../../../schemas/caching.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { NoQuerySchema } from '../../../schemas/query.ts';
import {
  TaxonomyListSchema,
  CategoryParamsSchema,
  TagParamsSchema,
  TaxonomyTermPagesSchema,
  type TaxonomyTerm,
  type TaxonomyTermPages,
} from '../../../schemas/taxonomy.ts';
import { byUse, taxonomyOf, type TaxonomyKind, type Term } from '../../discovery/taxonomies.ts';
import { HttpProblem } from '../../http/problem.ts';
import { representJson } from '../../http/representation.ts';

/** The filter of GET /v1/pages that lists a term's pages. */
const FILTER: Record<TaxonomyKind, string> = { categories: 'category', tags: 'tag' };

/** Categories and tags of the published pages (drafts' only in preview), with their pages. */
const taxonomies: FastifyPluginAsyncZod = async (fastify) => {
  for (const kind of ['categories', 'tags'] as const) {
    const one = kind === 'categories' ? 'category' : 'tag';
    const summaryOf = (term: Term): TaxonomyTerm => ({
      name: term.name,
      slug: term.slug,
      count: term.pages.length,
      pages: `/v1/pages?${new URLSearchParams({ [FILTER[kind]]: term.name })}`,
    });

    fastify.get(
      `/${kind}`,
      {
        schema: {
          tags: ['pages'],
          operationId: kind === 'categories' ? 'listCategories' : 'listTags',
          querystring: NoQuerySchema,
          summary: `List the ${kind} of the published pages, with page counts`,
          description: `Every ${one} used in front matter (\`${kind}\`), with its slug, how many published pages have it and the link to their list. Most used first.`,
          response: { 200: TaxonomyListSchema, 304: NotModifiedSchema },
        },
      },
      async (request, reply) => {
        const view = fastify.content.viewFor(request);
        return reply.represent(
          view.responses.get(kind, () =>
            representJson({ items: [...taxonomyOf(view.pages, kind).values()].sort(byUse).map(summaryOf) }, view.modified),
          ),
        );
      },
    );

    fastify.get(
      `/${kind}/:slug`,
      {
        schema: {
          tags: ['pages'],
          operationId: kind === 'categories' ? 'getCategory' : 'getTag',
          querystring: NoQuerySchema,
          summary: `A ${one} with the summaries of its pages`,
          description: `The ${one}, its count and every published page that has it, newest first. 404 problem+json for an unknown slug.`,
          params: kind === 'categories' ? CategoryParamsSchema : TagParamsSchema,
          response: { 200: TaxonomyTermPagesSchema, 304: NotModifiedSchema, 404: ProblemSchema },
        },
      },
      async (request, reply) => {
        const view = fastify.content.viewFor(request);
        const term = taxonomyOf(view.pages, kind).get(request.params.slug);
        if (!term) throw new HttpProblem(404, `No published page has the ${one} "${request.params.slug}"; GET /v1/${kind} lists them.`);
        return reply.represent(
          view.responses.get(`${kind}:${term.slug}`, () =>
            representJson({ ...summaryOf(term), items: term.pages } satisfies TaxonomyTermPages, view.modified),
          ),
        );
      },
    );
  }
};

export default taxonomies;
