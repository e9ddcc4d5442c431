/**
 * Property-based contract test: generated requests, valid and invalid, to every operation of the
 * served OpenAPI document. Every response is checked against the document by the inject of
 * appFor (status documented, media type documented, body valid); here we add that nothing is
 * ever a 5xx and that a valid request is never refused (400, 405, 406).
 */
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent } from './helpers/app.ts';

interface Parameter {
  name: string;
  in: 'query' | 'path';
  required?: boolean;
  schema: Schema;
}
interface Schema {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: Schema[];
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface GeneratedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  valid: boolean;
}

let app: FastifyInstance;
let operations: [string, Operation][];
/** Ids that exist in the bundled content, so that valid requests reach 200s, not only 404s. */
const known: Record<string, string[]> = {};

beforeAll(async () => {
  app = await appFor(bundledContent);
  const document = (await app.inject('/openapi.json')).json();
  // A stream that stays open (/v1/events, text/event-stream) never ends an inject: it has its own test (test/routes/events.test.ts).
  operations = Object.entries(document.paths as Record<string, { get: Operation }>)
    .map(([path, item]): [string, Operation] => [path, item.get])
    .filter(([, operation]) => !Object.keys(operation.responses['200']?.content ?? {}).includes('text/event-stream'));
  const pages = (await app.inject('/v1/pages?limit=100')).json().items as { slug: string; permalink: string }[];
  const sections = (await app.inject(`/v1/pages/${pages[0].slug}/sections`)).json().items as { id: string }[];
  known.slug = pages.map((page) => page.slug);
  known.page = known.slug;
  known.path = pages.map((page) => page.permalink);
  known.id = [
    ...sections.map((section) => section.id),
    ...(await app.inject('/v1/faq?limit=100')).json().items.map((entry: { id: string }) => entry.id),
  ];
  known.q = ['JOSS', 'python', 'review'];
});
afterAll(() => app.close());

/** Characters that need no thought in a URL, and a few that do (encoded by the generator). */
const wordUnit = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~é中/#?&=+%'.split(''));

/** A value the parameter's schema accepts. */
function validValue(parameter: Parameter): fc.Arbitrary<string> {
  // One value or several (a repeated parameter): one value of the single-value alternative.
  const schema = parameter.schema.anyOf?.find((alternative) => alternative.type === 'string') ?? parameter.schema;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.type === 'integer') {
    return fc.integer({ min: schema.minimum ?? -1e6, max: Math.min(schema.maximum ?? 1e6, 1e6) }).map(String);
  }
  // A pattern says what the value looks like (a date, a list of field names): generate from it.
  if (schema.pattern && schema.pattern !== '^\\/')
    return fc.stringMatching(new RegExp(schema.pattern)).filter((value) => value.length <= (schema.maxLength ?? 2000));
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, 60);
  let text = fc.string({ unit: wordUnit, minLength, maxLength });
  if (parameter.in === 'path') text = text.filter((value) => value !== '.' && value !== '..');
  if (schema.pattern === '^\\/') text = text.map((value) => `/${value}`.slice(0, maxLength));
  return known[parameter.name] ? fc.oneof(fc.constantFrom(...known[parameter.name]), text) : text;
}

/** Anything at all, often something the schema refuses. */
function anyValue(parameter: Parameter): fc.Arbitrary<string> {
  return fc.oneof(
    validValue(parameter),
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('', ' ', '-1', '0', '101', '1.5', '1e3', 'abc', 'null', '[]', '{}', '../../etc/passwd', 'x'.repeat(2001)),
  );
}

function requests(path: string, operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const parameters = operation.parameters ?? [];
  const mediaTypes = Object.keys(operation.responses['200']?.content ?? {});
  const build = (valid: boolean) =>
    fc
      .record({
        values: fc.record(
          Object.fromEntries(
            parameters.map((parameter) => {
              const value = valid ? validValue(parameter) : anyValue(parameter);
              return [parameter.name, parameter.required ? value : fc.option(value, { nil: undefined })];
            }),
          ),
        ),
        accept: valid
          ? fc.constantFrom(
              undefined,
              '*/*',
              ...new Set(mediaTypes.map((type) => `${type.split('/')[0]}/*`)),
              ...mediaTypes,
              ...mediaTypes.map((type) => `${type};q=0.9, */*;q=0.1`),
            )
          : fc.constantFrom(undefined, '*/*', 'image/png', 'text/plain', 'application/xml', 'text/html', 'garbage', 'text/*;q=0'),
        method: valid ? fc.constantFrom('GET', 'HEAD') : fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'),
        rawPath: valid
          ? fc.constant(undefined)
          : fc.option(fc.constantFrom('%E0%A4%A', '%', 'x'.repeat(1001)), { freq: 8, nil: undefined }),
      })
      .map(({ values, accept, method, rawPath }): GeneratedRequest => {
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => rawPath ?? encodeURIComponent(values[name] ?? ''));
        const query = new URLSearchParams();
        for (const parameter of parameters) {
          const value = values[parameter.name];
          if (parameter.in === 'query' && value !== undefined) query.set(parameter.name, value);
        }
        return { method, url: query.size ? `${url}?${query}` : url, headers: accept ? { accept } : {}, valid };
      });
  return fc.oneof(build(true), build(false));
}

describe('every operation, with generated requests', () => {
  it('answers only documented statuses and bodies, never a 5xx, and never refuses a valid request', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(10);
    for (const [path, operation] of operations) {
      await fc.assert(
        fc.asyncProperty(requests(path, operation), async (request) => {
          // appFor's inject throws when the response breaks the document.
          const response = await app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers });
          expect(response.statusCode, `${request.method} ${request.url}`).toBeLessThan(500);
          if (request.valid)
            expect([400, 405, 406, 414], `${request.method} ${request.url} ${JSON.stringify(request.headers)}`).not.toContain(
              response.statusCode,
            );
        }),
        { numRuns: 120 },
      );
    }
  });

  it('answers any other path with 404 or 405 problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.constantFrom('GET', 'POST', 'DELETE'), async (path, method) => {
        const response = await app.inject({ method: method as 'GET', url: `/v1${path}` });
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});
