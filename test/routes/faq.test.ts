import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaqPageJsonLdSchema } from '../../schemas/faq.ts';
import { appFor, bundledContent } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('GET /v1/faq', () => {
  it('finds the seed page FAQ entry with q=JOSS, case-insensitively', async () => {
    for (const q of ['JOSS', 'joss']) {
      const body = (await app.inject(`/v1/faq?q=${q}`)).json();
      expect(body.total).toBe(1);
      expect(body.items[0]).toMatchObject({
        id: 'whats-the-difference-between-pyopensci-and-joss',
        question: "What's the difference between pyOpenSci and JOSS?",
        page: 'index',
        link: '/#whats-the-difference-between-pyopensci-and-joss',
      });
      expect(body.items[0].answer.text).toContain('Journal of Open Source Software');
      expect(body.items[0].answer.html).toContain('<a href="https://joss.theoj.org/">Journal of Open Source Software</a>');
    }
  });

  it('filters by page and returns nothing for an unmatched query', async () => {
    expect((await app.inject('/v1/faq?page=peer-review')).json().total).toBe(3);
    expect((await app.inject('/v1/faq?q=zzzznotthere')).json()).toEqual({ items: [], total: 0 });
  });

  it('serves one entry by id, as JSON and as the answer HTML', async () => {
    const entry = (await app.inject('/v1/faq/how-long-does-a-review-usually-take')).json();
    expect(entry).toMatchObject({ page: 'peer-review', question: 'How long does a review usually take?' });
    const html = await app.inject({ url: '/v1/faq/how-long-does-a-review-usually-take', headers: { accept: 'text/html' } });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toMatch(/^<p>/);
    // The JSON carries the same answer, as HTML and as text.
    expect(entry.answer.html).toBe(html.body);
    expect(entry.answer.text).toMatch(/\w/);
    expect((await app.inject('/v1/faq/no-such-entry')).statusCode).toBe(404);
  });
});

describe('GET /v1/faq?format=jsonld of many entries', () => {
  let work: string;
  let many: FastifyInstance;
  const QUESTIONS = 250;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'faq-jsonld-'));
    const questions = Array.from({ length: QUESTIONS }, (_, i) => `### Question ${i}?\n\nAnswer ${i}, with <b>bold</b> & "quotes".\n`);
    await writeFile(
      path.join(work, 'faq.md'),
      `---\ntitle: FAQ\npermalink: /faq/\n---\n\n## Frequently asked questions\n\n${questions.join('\n')}`,
    );
    many = await appFor(work);
  });
  afterAll(async () => {
    await many.close();
    await rm(work, { recursive: true, force: true });
  });

  it('writes every entry, in turns, as the entries list them, and one ETag however many ask at once', async () => {
    const [first, second] = await Promise.all([many.inject('/v1/faq?format=jsonld'), many.inject('/v1/faq?format=jsonld')]);
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe(second.headers.etag);
    expect(first.body).toBe(second.body);
    const jsonLd = FaqPageJsonLdSchema.parse(first.json());
    expect(jsonLd.mainEntity).toHaveLength(QUESTIONS);
    const listed = [
      ...(await many.inject('/v1/faq?limit=100')).json().items,
      ...(await many.inject('/v1/faq?limit=100&offset=100')).json().items,
      ...(await many.inject('/v1/faq?limit=100&offset=200')).json().items,
    ] as { question: string; answer: { html: string } }[];
    expect(jsonLd.mainEntity.map((question) => [question.name, question.acceptedAnswer.text])).toEqual(
      listed.map((entry) => [entry.question, entry.answer.html]),
    );
    const again = await many.inject({ url: '/v1/faq?format=jsonld', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });
});
