import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { contractFiles } from '../scripts/contract-files.ts';
import { WebhookHeadersSchema } from '../schemas/webhook.ts';
import { appFor, bundledContent } from './helpers/app.ts';
import { Contract } from './helpers/contract.ts';

const root = new URL('../', import.meta.url);

interface Media {
  schema: Record<string, unknown>;
  example?: unknown;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; schema: Record<string, unknown>; example?: unknown }[];
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
interface Webhook extends Omit<Operation, 'responses'> {
  requestBody: { required?: boolean; content: Record<string, Media> };
  responses: Record<string, { description: string }>;
}
interface Document {
  openapi: string;
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, Record<string, Webhook>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

let app: FastifyInstance;
let document: Document;
const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

beforeAll(async () => {
  app = await appFor(bundledContent);
  document = (await app.inject('/openapi.json')).json();
});
afterAll(() => app.close());

describe('OpenAPI document', () => {
  it.each(['openapi.yaml', 'schemas/front-matter.schema.json'])(
    'committed %s is what the code generates (run npm run openapi when this fails)',
    async (path) => {
      const generated = contractFiles(app).find((file) => file.path === path);
      expect(await readFile(new URL(path, root), 'utf8')).toBe(generated?.content);
    },
  );

  it('is served at /openapi.yaml as committed and at /openapi.json as the same document', async () => {
    const committed = await readFile(new URL('openapi.yaml', root), 'utf8');
    const yaml = await app.inject('/openapi.yaml');
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(yaml.body).toBe(committed);
    expect(document).toEqual(parseYaml(committed));
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  it('lists every route', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/pages',
        '/v1/pages/{slug}',
        '/v1/pages/{slug}/sections',
        '/v1/pages/{slug}/sections/{id}',
        '/v1/faq',
        '/v1/faq/{id}',
        '/v1/navigation',
        '/v1/resolve',
        '/health',
        '/openapi.json',
        '/openapi.yaml',
      ]),
    );
  });

  it('names each schema once, as a component, without standalone $schema/$id keys, and uses every one', () => {
    const names = Object.keys(document.components.schemas);
    expect(names.filter((name) => name.endsWith('Input') && names.includes(name.slice(0, -'Input'.length)))).toEqual([]);
    for (const schema of Object.values(document.components.schemas)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
    const text = JSON.stringify(document.paths) + JSON.stringify(document.webhooks) + JSON.stringify(document.components);
    expect(names.filter((name) => !text.includes(`"#/components/schemas/${name}"`))).toEqual([]);
  });

  it('gives every operation an id, a summary, a description and known tags', () => {
    const tags = document.tags.map((tag) => tag.name);
    for (const { path, method, operation } of operations()) {
      expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.summary, `${method} ${path}`).toBeTruthy();
      expect(operation.description, `${method} ${path}`).toBeTruthy();
      expect(operation.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(tags).toContain(tag);
    }
    expect(new Set(operations().map(({ operation }) => operation.operationId)).size).toBe(operations().length);
  });

  it('documents 406 and 500 everywhere, 400 wherever a parameter is validated, each status described with an example', () => {
    for (const { path, method, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['200', '406', '500']));
      if (operation.parameters?.length) expect(statuses, `${method} ${path}`).toContain('400');
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response');
        if (status === '304') continue;
        for (const [mediaType, media] of Object.entries(response.content ?? {})) {
          expect(media.example, `${method} ${path} ${status} ${mediaType}`).toBeDefined();
        }
      }
    }
  });

  it('documents every error as application/problem+json with the Problem schema', () => {
    for (const { path, method, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
        expect(response.content?.['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
  });

  it('documents JSON and HTML for the routes with an HTML form, and no HTML for the others', () => {
    const html = ['/v1/pages/{slug}', '/v1/pages/{slug}/sections', '/v1/pages/{slug}/sections/{id}', '/v1/faq/{id}'];
    for (const { path, operation } of operations()) {
      const mediaTypes = Object.keys(operation.responses['200'].content ?? {});
      if (html.includes(path)) expect(mediaTypes, path).toEqual(['application/json', 'text/html']);
      else expect(mediaTypes, path).not.toContain('text/html');
    }
    expect(document.paths['/v1/pages/{slug}'].get.responses['200'].content?.['text/html'].schema).toEqual({
      $ref: '#/components/schemas/HtmlFragment',
    });
  });

  it('states the paging constraints: limit 1 to 100, default 20; offset 0 or more', () => {
    for (const path of ['/v1/pages', '/v1/faq']) {
      const parameters = document.paths[path].get.parameters ?? [];
      expect(parameters.find((parameter) => parameter.name === 'limit')?.schema).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 20,
      });
      expect(parameters.find((parameter) => parameter.name === 'offset')?.schema).toMatchObject({
        type: 'integer',
        minimum: 0,
        default: 0,
      });
    }
  });

  it('says what /v1/events streams: decoded (contentSchema), ServerSentEvents whose data is a ReadyEvent or a ContentEvent', () => {
    const media = document.paths['/v1/events'].get.responses['200'].content?.['text/event-stream'];
    expect(media?.schema).toEqual({ $ref: '#/components/schemas/EventStream' });
    expect(document.components.schemas.EventStream).toMatchObject({
      type: 'string',
      contentMediaType: 'text/event-stream',
      contentSchema: { type: 'array', items: { $ref: '#/components/schemas/ServerSentEvent' } },
    });
    const events = document.components.schemas.ServerSentEvent.oneOf as { properties: Record<string, Record<string, unknown>> }[];
    expect(events.map(({ properties }) => [properties.event.const, properties.data])).toEqual([
      ['ready', { $ref: '#/components/schemas/ReadyEvent' }],
      ['content', { $ref: '#/components/schemas/ContentEvent' }],
    ]);
    // The version before is always a version: the first one loaded is never announced.
    expect(document.components.schemas.ContentEvent).toMatchObject({
      required: ['version', 'previous_version', 'changed'],
      properties: { previous_version: { type: 'string' }, truncated: { const: true } },
    });
  });

  it('describes the POST sent to WEBHOOK_URLS under webhooks: a WebhookPayload, with the Standard Webhooks headers', () => {
    expect(Object.keys(document.webhooks)).toEqual(['contentUpdated']);
    const { post } = document.webhooks.contentUpdated;
    expect(post.operationId).toBe('contentUpdated');
    expect(post.summary && post.description).toBeTruthy();
    expect(post.tags?.every((tag) => document.tags.some(({ name }) => name === tag))).toBe(true);
    expect(post.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookPayload' } } },
    });
    expect(post.parameters?.map(({ name, in: where }) => `${where} ${name}`)).toEqual(
      Object.keys(WebhookHeadersSchema.shape).map((name) => `header ${name}`),
    );
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['2XX', 'default']));
  });

  it('has examples that match their own schemas', () => {
    expect(new Contract(document as never).exampleViolations()).toEqual([]);
  });
});
