import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { loadConfig } from '../../src/config.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';
import { appFor, bundledContent } from '../helpers/app.ts';

const TOKEN = 'preview-token-for-tests-0123456789';
const DRAFT = '/v1/pages/roadmap-draft';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let app: FastifyInstance;
let withoutPreview: FastifyInstance;
beforeAll(async () => {
  app = checkedAgainstContract(await buildApp({ contentDir: bundledContent, previewToken: TOKEN }));
  withoutPreview = await appFor(bundledContent);
});
afterAll(async () => {
  await app.close();
  await withoutPreview.close();
});

describe('draft preview (PREVIEW_TOKEN)', () => {
  it('shows drafts to a request with the token, as private, no-store responses', async () => {
    const draft = await app.inject({ url: DRAFT, headers: bearer(TOKEN) });
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('DRAFT-ROADMAP-7f3a');
    expect(draft.headers['cache-control']).toBe('private, no-store');
    expect(draft.headers.vary).toContain('Authorization');
    const list = await app.inject({ url: '/v1/pages?limit=100', headers: bearer(TOKEN) });
    expect(list.json().items.map((page: { slug: string }) => page.slug)).toContain('roadmap-draft');
    expect(list.headers['cache-control']).toBe('private, no-store');
    expect((await app.inject({ url: '/v1/resolve?path=/roadmap/', headers: bearer(TOKEN) })).statusCode).toBe(200);
  });

  it('answers 404, not 403, for a draft without a token, and serves public content as publicly cacheable', async () => {
    const draft = await app.inject(DRAFT);
    expect(draft.statusCode).toBe(404);
    expect(draft.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(draft.body).not.toContain('DRAFT-ROADMAP-7f3a');
    const page = await app.inject('/v1/pages/index');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(page.headers.vary).toBe('Accept, Accept-Encoding, Authorization');
    expect((await app.inject('/v1/pages?limit=100')).body).not.toContain('roadmap-draft');
  });

  it('treats a wrong token, or another scheme, as no token: drafts 404, public content served as usual', async () => {
    for (const authorization of [
      'Bearer wrong-token',
      `Bearer ${TOKEN}x`,
      `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      const draft = await app.inject({ url: DRAFT, headers: { authorization } });
      expect(draft.statusCode, authorization).toBe(404);
      const page = await app.inject({ url: '/v1/pages/index', headers: { authorization } });
      expect(page.statusCode, authorization).toBe(200);
      expect(page.headers['cache-control'], authorization).toMatch(/^public/);
    }
  });

  it('reads the scheme case-insensitively', async () => {
    expect((await app.inject({ url: DRAFT, headers: { authorization: `bearer ${TOKEN}` } })).statusCode).toBe(200);
  });

  it('is off without a configured token: Authorization is ignored and responses do not vary on it', async () => {
    const draft = await withoutPreview.inject({ url: DRAFT, headers: bearer(TOKEN) });
    expect(draft.statusCode).toBe(404);
    const page = await withoutPreview.inject({ url: '/v1/pages/index', headers: bearer(TOKEN) });
    expect(page.headers['cache-control']).toMatch(/^public/);
    expect(page.headers.vary).toBe('Accept, Accept-Encoding');
  });
});

describe('PREVIEW_TOKEN configuration', () => {
  it('is optional, empty means off, and a short token stops the boot naming the variable', () => {
    expect(loadConfig({}).PREVIEW_TOKEN).toBeUndefined();
    expect(loadConfig({ PREVIEW_TOKEN: '' }).PREVIEW_TOKEN).toBeUndefined();
    expect(loadConfig({ PREVIEW_TOKEN: TOKEN }).PREVIEW_TOKEN).toBe(TOKEN);
    expect(() => loadConfig({ PREVIEW_TOKEN: 'short' })).toThrow(/PREVIEW_TOKEN: must be at least 16 characters/);
  });
});
