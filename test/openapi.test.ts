import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiYaml } from '../src/plugins/openapi.ts';
import { appFor, bundledContent } from './helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('OpenAPI document', () => {
  it('committed openapi.yaml matches the routes (run npm run openapi when this fails)', async () => {
    const committed = await readFile(new URL('../openapi.yaml', import.meta.url), 'utf8');
    expect(committed).toBe(openapiYaml(app));
  });

  it('is served at /openapi.json and lists every /v1 route', async () => {
    const document = (await app.inject('/openapi.json')).json();
    expect(document.openapi).toMatch(/^3\.1/);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([
      '/v1/pages', '/v1/pages/{slug}', '/v1/pages/{slug}/sections', '/v1/pages/{slug}/sections/{id}',
      '/v1/faq', '/v1/faq/{id}', '/v1/navigation', '/v1/resolve', '/health',
    ]));
  });
});
