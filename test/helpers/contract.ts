/**
 * The spec cannot lie: every response the test suite receives is checked against the OpenAPI
 * document the same app serves (status documented, media type documented, body valid against
 * the schema, with Ajv's JSON Schema 2020-12, the dialect of OpenAPI 3.1), and so are what the
 * service sends outside a response: the events of a stream, read as a client reads them, and
 * the webhooks it POSTs.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { EventStreamParser } from '../../packages/client/src/events.ts';

type Schema = Record<string, unknown>;
interface MediaType {
  schema?: Schema;
  example?: unknown;
}
interface Response {
  description: string;
  content?: Record<string, MediaType>;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  example?: unknown;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, Response>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** A request the service sent, as its receiver got it. */
export interface SentRequest {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the contract needs of a request and of its response (an inject response or a fetch one). */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body as sent, before any Content-Encoding is undone. */
  body: Buffer;
}

const COMPONENTS_ID = 'https://contract.test/components';
/** Keywords OpenAPI adds to JSON Schema; Ajv's strict mode rejects any keyword it does not know. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

/** A served OpenAPI document, ready to check exchanges against. */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { template: string; pattern: RegExp; literal: boolean }[];

  constructor(readonly document: OpenApiDocument) {
    addFormats.default(this.ajv);
    this.ajv.addVocabulary(OPENAPI_KEYWORDS);
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: toAjvRefs(document.components?.schemas ?? {}) });
    this.routes = Object.keys(document.paths).map((template) => ({
      template,
      // A trailing {path} is a wildcard route's (/v1/assets/{path}): it spans folders.
      pattern: new RegExp(
        `^${template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{path\}$/, '.+')
          .replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
      ),
      literal: !template.includes('{'),
    }));
  }

  /** The document an app serves at /openapi.json (fetched with the unchecked inject). */
  static async served(inject: (options: InjectOptions) => Promise<LightMyRequestResponse>): Promise<Contract> {
    const response = await inject({ method: 'GET', url: '/openapi.json' });
    if (response.statusCode !== 200) throw new Error(`/openapi.json answered ${response.statusCode}`);
    return new Contract(response.json());
  }

  /** The path template of the document that a request path falls under, if any (literal paths first). */
  templateOf(path: string): string | undefined {
    const matches = this.routes.filter((route) => route.pattern.test(path));
    return (matches.find((route) => route.literal) ?? matches[0])?.template;
  }

  /** Every way the exchange departs from the document; empty when it keeps to it. */
  violations(exchange: Exchange): string[] {
    const path = exchange.url.split('?')[0];
    const method = exchange.method.toUpperCase();
    const template = this.templateOf(path);
    const operations = template ? this.document.paths[template] : undefined;
    const operation = operations?.[method === 'HEAD' ? 'get' : method.toLowerCase()];
    const mediaType = String(exchange.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();

    if (!operation) {
      // Outside the document: Swagger UI's pages and assets, CORS preflight, or an error.
      if (path === '/docs' || path.startsWith('/docs/')) return exchange.status >= 400 ? this.problemViolations(exchange, mediaType) : [];
      if (method === 'OPTIONS' && exchange.status === 204) return [];
      const found = this.problemViolations(exchange, mediaType);
      // A method the path does not answer is 405, unless the URL itself is refused first (400, 414).
      if (operations && method !== 'OPTIONS' && ![400, 405, 414].includes(exchange.status)) {
        found.push(`${method} ${template} is not in the document, yet was answered ${exchange.status} (expected 405)`);
      }
      if (exchange.status === 405 && !exchange.headers.allow) found.push('405 without an Allow header');
      return found;
    }

    const response =
      operation.responses[String(exchange.status)] ?? operation.responses[`${String(exchange.status)[0]}XX`] ?? operation.responses.default;
    const where = `${method} ${template} → ${exchange.status}`;
    if (!response) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    const body = decoded(exchange);
    if (!response.content) return body.length > 0 && method !== 'HEAD' ? [`${where}: documented without a body, but one was sent`] : [];
    const media = response.content[mediaType];
    if (!media)
      return [`${where}: Content-Type ${mediaType || '(none)'} not documented (documented: ${Object.keys(response.content).join(', ')})`];
    if (method === 'HEAD' || !media.schema) return [];
    const key = `${template} ${method} ${exchange.status} ${mediaType}`;
    let value: unknown;
    try {
      value = parseBody(body.toString('utf8'), mediaType);
    } catch (error) {
      return [`${where}: body is not ${mediaType}: ${(error as Error).message}`];
    }
    const found = this.schemaViolations(key, media.schema, value).map((message) => `${where}: ${message}`);
    if (mediaType === 'application/problem+json' && (value as { status?: unknown }).status !== exchange.status) {
      found.push(`${where}: problem status ${JSON.stringify((value as { status?: unknown }).status)} differs from the HTTP status`);
    }
    return found;
  }

  /** Throws, listing every violation, unless the exchange keeps to the document. */
  check(exchange: Exchange): void {
    const found = this.violations(exchange);
    if (found.length > 0) {
      throw new Error(
        `Response breaks the OpenAPI document (${exchange.method} ${exchange.url}):\n  ${found.join('\n  ')}\n  body: ${decoded(exchange).toString('utf8').slice(0, 300)}`,
      );
    }
  }

  /** Each example in the document that does not match its own schema. */
  exampleViolations(): string[] {
    const found: string[] = [];
    for (const [template, operations] of Object.entries(this.document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          for (const [mediaType, media] of Object.entries(response.content ?? {})) {
            if (media.example === undefined || !media.schema) continue;
            const key = `${template} ${method.toUpperCase()} ${status} ${mediaType}`;
            found.push(...this.schemaViolations(key, media.schema, media.example).map((message) => `example of ${key}: ${message}`));
          }
        }
      }
    }
    // A component's own example (ContentEvent's, say) is what a client of that type reads in its docs.
    for (const [name, schema] of Object.entries(this.document.components?.schemas ?? {})) {
      if (schema.example === undefined) continue;
      const key = `component ${name}`;
      found.push(
        ...this.schemaViolations(key, { $ref: `#/components/schemas/${name}` }, schema.example).map(
          (message) => `example of ${key}: ${message}`,
        ),
      );
    }
    for (const [name, operations] of Object.entries(this.document.webhooks ?? {})) {
      for (const operation of Object.values(operations)) {
        for (const parameter of operation.parameters ?? []) {
          if (parameter.example === undefined || !parameter.schema) continue;
          const key = `webhook ${name} header ${parameter.name}`;
          found.push(...this.schemaViolations(key, parameter.schema, parameter.example).map((message) => `example of ${key}: ${message}`));
        }
        for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
          if (media.example === undefined || !media.schema) continue;
          const key = `webhook ${name} body ${mediaType}`;
          found.push(...this.schemaViolations(key, media.schema, media.example).map((message) => `example of ${key}: ${message}`));
        }
      }
    }
    return found;
  }

  /**
   * Every way the events of a stream (its text so far, read as the client's EventStreamParser
   * reads it, each `data` parsed as JSON) depart from what the document says the GET of `path`
   * streams: the `contentSchema` (JSON Schema's schema of a string's decoded content) of its
   * 200 text/event-stream schema.
   */
  streamViolations(path: string, text: string): string[] {
    const template = this.templateOf(path);
    const media = template ? this.document.paths[template].get?.responses['200']?.content?.['text/event-stream'] : undefined;
    const streamed = media?.schema && this.resolved(media.schema).contentSchema;
    if (!streamed) return [`GET ${path}: no text/event-stream with a contentSchema in the document`];
    const events = new EventStreamParser().push(text).map(({ name, id, data }) => ({ event: name, id, data: JSON.parse(data) as unknown }));
    return this.schemaViolations(`${template} stream`, streamed as Schema, events).map((message) => `GET ${path} events: ${message}`);
  }

  /**
   * Every way a request the service sent departs from the webhook the document describes under
   * `webhooks`: each header parameter (present when required, valid against its schema), the
   * Content-Type, and the body against the request body's schema.
   */
  webhookViolations(name: string, request: SentRequest): string[] {
    const operation = this.document.webhooks?.[name]?.post;
    if (!operation) return [`webhook ${name}: not in the document`];
    const where = `webhook ${name}`;
    const found: string[] = [];
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in !== 'header') continue;
      const value = request.headers[parameter.name.toLowerCase()];
      if (value === undefined) {
        if (parameter.required) found.push(`${where}: header ${parameter.name} missing`);
        continue;
      }
      if (!parameter.schema) continue;
      found.push(
        ...this.schemaViolations(`${where} header ${parameter.name}`, parameter.schema, value).map(
          (message) => `${where}: header ${parameter.name} ${JSON.stringify(value)} ${message}`,
        ),
      );
    }
    const mediaType = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const media = operation.requestBody?.content[mediaType];
    if (!media) return [...found, `${where}: Content-Type ${mediaType || '(none)'} not documented`];
    if (!media.schema) return found;
    let value: unknown;
    try {
      value = parseBody(request.body, mediaType);
    } catch (error) {
      return [...found, `${where}: body is not ${mediaType}: ${(error as Error).message}`];
    }
    return [...found, ...this.schemaViolations(`${where} body`, media.schema, value).map((message) => `${where}: ${message}`)];
  }

  /** A schema with a `$ref` to a component replaced by that component. */
  private resolved(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/components/schemas/')) return schema;
    return this.document.components?.schemas?.[ref.slice('#/components/schemas/'.length)] ?? schema;
  }

  private problemViolations(exchange: Exchange, mediaType: string): string[] {
    const where = `${exchange.method} ${exchange.url} → ${exchange.status}`;
    if (exchange.status < 400) return [`${where}: not in the document, yet not an error`];
    if (mediaType !== 'application/problem+json')
      return [`${where}: an error as ${mediaType || '(no Content-Type)'}, not application/problem+json`];
    if (exchange.method.toUpperCase() === 'HEAD') return [];
    const problem = { $ref: `${COMPONENTS_ID}#/$defs/Problem` };
    return this.schemaViolations('Problem', problem, JSON.parse(decoded(exchange).toString('utf8'))).map(
      (message) => `${where}: ${message}`,
    );
  }

  private schemaViolations(key: string, schema: Schema, value: unknown): string[] {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toAjvRefs(schema));
      this.validators.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || '(body)'} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`,
    );
  }
}

/** Points `#/components/schemas/X` references at the components schema Ajv holds. */
function toAjvRefs<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/$defs/`));
}

function decoded(exchange: Exchange): Buffer {
  const encoding = exchange.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(exchange.body);
  if (encoding === 'gzip') return gunzipSync(exchange.body);
  return exchange.body;
}

function parseBody(text: string, mediaType: string): unknown {
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return JSON.parse(text);
  if (mediaType === 'application/yaml') return parseYaml(text);
  return text;
}

/**
 * Makes `app.inject` check every response against the document the app serves. Callback and
 * chained injects are left as they are, and so are streamed ones (`payloadAsStream`: the body is
 * the caller's to read); the suite uses the promise form.
 */
export function checkedAgainstContract<T extends FastifyInstance>(app: T): T {
  const inject = app.inject.bind(app) as (options: InjectOptions | string) => Promise<LightMyRequestResponse>;
  let contract: Promise<Contract> | undefined;
  const checked = async (options: InjectOptions | string) => {
    const response = await inject(options);
    contract ??= Contract.served(inject);
    const request =
      typeof options === 'string' ? { method: 'GET', url: options } : { method: options.method ?? 'GET', url: requestedUrl(options) };
    (await contract).check({ ...request, status: response.statusCode, headers: response.headers, body: response.rawPayload });
    return response;
  };
  return Object.assign(app, {
    inject: (options?: InjectOptions | string, callback?: unknown) =>
      options === undefined || callback !== undefined || (typeof options === 'object' && options.payloadAsStream)
        ? Reflect.apply(
            inject,
            app,
            [options, callback].filter((arg) => arg !== undefined),
          )
        : checked(options),
  });
}

/** The URL an inject call asks for, given as a string or as its parts (then its path is enough here). */
function requestedUrl(options: InjectOptions): string {
  const target = options.url ?? options.path ?? '/';
  return typeof target === 'string' ? target : target.pathname;
}
