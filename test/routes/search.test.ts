import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaqPageJsonLdSchema } from '../../schemas/faq.ts';
import { buildApp } from '../../src/build-app.ts';
import { appFor, bundledContent, pyopensciCorpus } from '../helpers/app.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';

let app: FastifyInstance;
let corpus: FastifyInstance;
beforeAll(async () => {
  [app, corpus] = await Promise.all([appFor(bundledContent), appFor(pyopensciCorpus)]);
});
afterAll(() => Promise.all([app.close(), corpus.close()]));

interface Hit {
  slug: string;
  url: string;
  permalink: string;
  section: { id: string } | null;
  snippet: string;
  type: string;
}
const search = async (target: FastifyInstance, query: string) => {
  const response = await target.inject(`/v1/search?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ query: string; items: Hit[]; total: number; limit: number; offset: number }>();
};

describe('GET /v1/search', () => {
  it('finds a package page by its name, and when the name is misspelt', async () => {
    expect((await search(corpus, 'q=movingpandas')).items[0].slug).toBe('movingpandas-movement-data-analysis');
    expect((await search(corpus, 'q=movngpandas')).items[0].slug).toBe('movingpandas-movement-data-analysis');
    expect((await search(corpus, 'q=sleplet')).items[0].slug).toBe('sleplet-slepian-wavelets');
  });

  it('ranks sections with deep links (permalink#id) and highlighted snippets', async () => {
    const body = await search(corpus, 'q=peer%20review');
    expect(body).toMatchObject({ query: 'peer review', limit: 10, offset: 0 });
    expect(body.total).toBeGreaterThan(10);
    expect(body.items.map((hit) => hit.slug)).toContain('about-peer-review');
    const hit = body.items.find((candidate) => candidate.section !== null)!;
    expect(hit.url).toBe(`${hit.permalink}#${hit.section!.id}`);
    expect(hit.snippet).toMatch(/<mark>(?:peer|review)<\/mark>/i);
  });

  it('matches word beginnings (packag) and tolerates typos (reviw)', async () => {
    expect((await search(corpus, 'q=packag&limit=100')).items.map((hit) => hit.slug)).toContain('python-packages');
    const typo = await search(corpus, 'q=reviw');
    expect(typo.total).toBeGreaterThan(0);
    expect(typo.items[0].snippet).toContain('<mark>review</mark>');
  });

  it('answers a query that matches nothing with an empty 200', async () => {
    expect(await search(corpus, 'q=zzqxjv')).toMatchObject({ items: [], total: 0 });
  });

  it('filters by type and pages with limit and offset, keeping the total', async () => {
    const all = await search(corpus, 'q=python&type=posts&limit=100');
    expect(all.items.every((hit) => hit.type === 'posts')).toBe(true);
    const second = await search(corpus, 'q=python&type=posts&limit=5&offset=5');
    expect(second.total).toBe(all.total);
    expect(second.items.map((hit) => hit.slug)).toEqual(all.items.slice(5, 10).map((hit) => hit.slug));
  });

  it('finds what the bundled pages say, and never a draft', async () => {
    expect((await search(app, 'q=JOSS')).items[0]).toMatchObject({
      slug: 'index',
      url: '/#whats-the-difference-between-pyopensci-and-joss',
    });
    expect((await search(app, 'q=DRAFT-ROADMAP-7f3a')).total).toBe(0);
  });

  it('refuses a missing or empty q, a limit above 100 and an unknown parameter with 400 problem+json', async () => {
    for (const query of ['', 'q=', 'q=%20', 'q=x&limit=101', 'q=x&sort=date']) {
      const response = await app.inject(`/v1/search?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().invalid_params.length, query).toBeGreaterThan(0);
    }
  });

  it('says q must be given once when it is repeated, and that it is required when it is missing', async () => {
    const reasons = async (query: string) =>
      (await app.inject(`/v1/search?${query}`)).json<{ invalid_params: { in: string; name: string; reason: string }[] }>().invalid_params;
    expect(await reasons('q=peer&q=review')).toEqual([{ in: 'query', name: 'q', reason: 'must be given once (it was given 2 times)' }]);
    expect(await reasons('type=posts')).toEqual([{ in: 'query', name: 'q', reason: 'is required: the words to look for' }]);
  });
});

describe('GET /v1/faq: relevance and JSON-LD', () => {
  it('ranks by relevance, the entry whose question matches first', async () => {
    const body = (await app.inject('/v1/faq?q=difference')).json();
    expect(body.items[0].id).toBe('whats-the-difference-between-pyopensci-and-joss');
    const review = (await app.inject('/v1/faq?q=review')).json().items.map((entry: { question: string }) => entry.question);
    const firstAnswerOnly = review.findIndex((question: string) => !/review/i.test(question));
    expect(review.slice(firstAnswerOnly).every((question: string) => !/review/i.test(question))).toBe(true);
  });

  it('serves schema.org FAQPage JSON-LD that a page can embed', async () => {
    for (const request of [{ url: '/v1/faq?format=jsonld' }, { url: '/v1/faq', headers: { accept: 'application/ld+json' } }]) {
      const response = await app.inject(request);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/ld+json; charset=utf-8');
      const jsonLd = FaqPageJsonLdSchema.parse(response.json());
      expect(jsonLd.mainEntity.length).toBe((await app.inject('/v1/faq?limit=100')).json().total);
      expect(jsonLd.mainEntity).toContainEqual({
        '@type': 'Question',
        name: "What's the difference between pyOpenSci and JOSS?",
        acceptedAnswer: { '@type': 'Answer', text: expect.stringContaining('Journal of Open Source Software') },
      });
    }
    const onePage = FaqPageJsonLdSchema.parse((await app.inject('/v1/faq?page=peer-review&format=jsonld')).json());
    expect(onePage.mainEntity.map((question) => question.name)).toEqual([
      'How long does a review usually take?',
      'Does my package need to be finished before I submit?',
      'Can I review a package outside my research field?',
    ]);
  });

  it('keeps plain JSON the default', async () => {
    const response = await app.inject({ url: '/v1/faq', headers: { accept: 'application/json' } });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().total).toBe(4);
  });
});

describe('search while the index of a content version is being built', () => {
  it('answers 503 with Retry-After rather than build the whole index for one request, and answers once it is built', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'search-building-'));
    const paragraph = 'Peer review of scientific Python packages builds a community of maintainers. '.repeat(20);
    for (let i = 0; i < 400; i++) {
      await writeFile(
        path.join(dir, `page-${i}.md`),
        `---\ntitle: Page ${i}\n---\n\n## FAQ\n\n### Who reviews quokka${i}?\n\n${paragraph}\n`,
      );
    }
    // No wait at all: the index of 400 pages takes more than one turn of the event loop to build.
    const building = checkedAgainstContract(await buildApp({ contentDir: dir, searchIndexWaitMs: 0 }));
    try {
      for (const url of ['/v1/search?q=quokka7', '/v1/faq?q=quokka7']) {
        const early = await building.inject(url);
        expect(early.statusCode, url).toBe(503);
        expect(early.headers['retry-after'], url).toBe('5');
        expect(early.json().detail, url).toMatch(/search index of this content version is still being built/);
      }
      expect(await building.content.snapshot.published.searchable(60_000)).toBe(true);
      const later = await building.inject('/v1/search?q=quokka7');
      expect(later.statusCode).toBe(200);
      expect(later.json().items[0].slug).toBe('page-7');
      expect((await building.inject('/v1/faq?q=quokka7')).json().items[0].page).toBe('page-7');
    } finally {
      await building.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a site with nothing published', () => {
  it('answers search, FAQ and health at once, with no page and no word of its drafts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'search-drafts-only-'));
    await writeFile(
      path.join(dir, 'plan.md'),
      '---\ntitle: Plan\npublished: false\n---\n\n## FAQ\n\n### Who reviews quokkas?\n\nNobody yet.\n',
    );
    const drafts = await appFor(dir);
    try {
      for (const url of ['/v1/search?q=quokkas', '/v1/faq?q=quokkas']) {
        const response = await drafts.inject(url);
        expect(response.statusCode, url).toBe(200);
        expect(response.json().items, url).toEqual([]);
      }
      const health = await drafts.inject('/health');
      expect(health.statusCode).toBe(200);
      expect(health.json().pages).toBe(0);
    } finally {
      await drafts.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
