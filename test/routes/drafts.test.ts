import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('drafts (published: false)', () => {
  it('appear in no route, list, FAQ, navigation or count', async () => {
    const urls = [
      '/v1/pages?limit=100', '/v1/pages/roadmap-draft', '/v1/pages/roadmap-draft/sections', '/v1/faq?limit=100',
      '/v1/faq?q=roadmap', '/v1/navigation', '/v1/resolve?path=/roadmap/', '/health',
    ];
    for (const url of urls) {
      const body = (await app.inject(url)).body;
      expect(body, url).not.toMatch(/DRAFT-ROADMAP-7f3a|Roadmap \(draft\)|\/roadmap\/"/);
      // A 404 may echo the slug the client asked for; a list must never name it.
      if (!url.includes('roadmap')) expect(body, url).not.toContain('roadmap-draft');
    }
    expect((await app.inject('/v1/pages/roadmap-draft')).statusCode).toBe(404);
    expect((await app.inject('/v1/pages')).json().total).toBe(5);
    expect((await app.inject('/health')).json().pages).toBe(5);
  });
});
