import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const entry = await app.inject('/v1/faq/how-long-does-a-review-usually-take');
    expect(entry.json()).toMatchObject({ page: 'peer-review', question: 'How long does a review usually take?' });
    const html = await app.inject({ url: '/v1/faq/how-long-does-a-review-usually-take', headers: { accept: 'text/html' } });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toMatch(/^<p>/);
    expect((await app.inject('/v1/faq/no-such-entry')).statusCode).toBe(404);
  });
});
