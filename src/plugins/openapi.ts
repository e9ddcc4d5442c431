import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { OpenApiDocumentSchema } from '../../schemas/openapi.ts';
import { NoQuerySchema } from '../../schemas/query.ts';
import { nameComponentsOnce } from '../openapi/components.ts';
import { documentResponses, withCommonResponses, type DocumentedRoute } from '../openapi/responses.ts';
import { WEBHOOKS_TAG, documentWebhooks } from '../openapi/webhooks.ts';
import { BUNDLED_UI_FILES } from '../bundle-layout.ts';

/**
 * Swagger UI's own files (its `static` folder), in the bundle `npm start` runs: copied beside the
 * bundle, which holds the UI's code (see BUNDLED_UI_FILES). From the sources, the UI finds them
 * beside its code in node_modules.
 */
const uiFolder = import.meta.url.endsWith('.cjs') ? fileURLToPath(new URL(BUNDLED_UI_FILES, import.meta.url)) : null;

/** Where Swagger UI reads its files and logo from: in the bundle, the copy beside it (see uiFolder). */
async function uiFiles(): Promise<{ baseDir?: string; logo?: { type: string; content: Buffer } }> {
  if (!uiFolder) return {};
  return { baseDir: uiFolder, logo: { type: 'image/svg+xml', content: await readFile(path.join(uiFolder, 'logo.svg')) } };
}

const zodTransform = createJsonSchemaTransform({});
const zodTransformObject = createJsonSchemaTransformObject({});

/**
 * Publishes the OpenAPI document that @fastify/swagger builds from the routes' Zod schemas, the
 * same schemas that validate requests and serialize responses: at /openapi.json, /openapi.yaml
 * and, for people, at /docs (Swagger UI, assets served from the package, nothing from a CDN).
 */
export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Content API',
          version: '1.0.0',
          description:
            'Pages, sections, FAQ entries and navigation actions of a markdown site, validated and rendered once when content loads.\n\n' +
            'Every resource is JSON by default; send `Accept: text/html` or `?format=html` for the rendered HTML fragment where one exists. ' +
            "An Accept header that admits none of a route's media types is answered 406.\n\n" +
            'Content responses carry a strong ETag: send it back in If-None-Match to get 304 Not Modified.\n\n' +
            'Every error is RFC 9457 `application/problem+json` with `type`, `title`, `status` and `detail`; validation errors name each ' +
            'offending parameter in `invalid_params`. An unknown path is 404, a method a path does not answer is 405 with an Allow header.\n\n' +
            'New content versions are announced on /v1/events (Server-Sent Events; the data of each event is a ReadyEvent or a ' +
            'ContentEvent) and, with WEBHOOK_URLS set, POSTed to each URL (see `webhooks`: a WebhookPayload, signed per Standard Webhooks).',
        },
        servers: [{ url: '/', description: 'This server' }],
        security: [],
        tags: [
          { name: 'pages', description: 'Pages and their sections' },
          { name: 'faq', description: 'Questions and answers under FAQ headings' },
          { name: 'navigation', description: 'Call-to-action links and URL resolution' },
          { name: 'service', description: 'Health and the API description' },
          { name: 'site', description: 'Site settings and data files' },
          { name: 'assets', description: 'Static files of the site (images, PDFs)' },
          WEBHOOKS_TAG,
        ],
        // What the service POSTs to WEBHOOK_URLS: OpenAPI 3.1 describes requests an API sends under `webhooks`.
        webhooks: documentWebhooks(),
      },
      transform(input) {
        const route: DocumentedRoute = { url: input.url, schema: input.schema as DocumentedRoute['schema'], config: input.route.config };
        const zodResponses = withCommonResponses(route);
        const result = zodTransform({ ...input, schema: { ...input.schema, response: zodResponses } });
        const schema = result.schema as { hide?: boolean; response?: Record<string, Record<string, unknown>> };
        if (schema.hide || !schema.response) return result;
        return { ...result, schema: { ...schema, response: documentResponses(route, zodResponses, schema.response) } };
      },
      transformObject: (input) => namedWildcards(nameComponentsOnce(zodTransformObject(input))),
    });

    await fastify.register(swaggerUi, {
      ...(await uiFiles()),
      routePrefix: '/docs',
      uiConfig: { deepLinking: true, docExpansion: 'list', displayOperationId: true },
      theme: { title: 'Content API' },
      staticCSP: true,
      // Swagger UI's default policy admits any https: style or font and the online validator; we serve everything ourselves.
      // "Try it out" shows an image answer (an asset) through a blob: URL it makes itself, so images may come from blob:.
      transformStaticCSP: (header) =>
        header
          .replace(/ https:/g, '')
          .replace(/ validator\.swagger\.io/g, '')
          .replace(/\s*upgrade-insecure-requests;/, '')
          .replace(/img-src ([^;]*);/, 'img-src $1 blob:;'),
    });

    const documentSchema = (summary: string, description: string, operationId: string) => ({
      tags: ['service'],
      operationId,
      querystring: NoQuerySchema,
      summary,
      description,
      response: { 200: OpenApiDocumentSchema },
    });
    fastify.get(
      '/openapi.json',
      {
        schema: documentSchema(
          'This API as an OpenAPI 3.1 document (JSON)',
          'The document the routes are built from, and /docs shows.',
          'getOpenApiJson',
        ),
      },
      async () => fastify.swagger(),
    );
    fastify.get(
      '/openapi.yaml',
      {
        schema: documentSchema(
          'This API as an OpenAPI 3.1 document (YAML)',
          'The same document as /openapi.json, as YAML: what `npm run openapi` commits.',
          'getOpenApiYaml',
        ),
        config: { produces: ['application/yaml'] },
      },
      async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(openapiYaml(fastify)),
    );
  },
  { name: 'openapi' },
);

/** The OpenAPI document as YAML: what /openapi.yaml serves and `npm run openapi` commits. */
export function openapiYaml(fastify: FastifyInstance): string {
  return fastify.swagger({ yaml: true });
}

/** A wildcard route (`/v1/assets/*`) as OpenAPI can say it: a path parameter named `path`. */
function namedWildcards<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }).paths;
  if (!paths) return document;
  for (const url of Object.keys(paths)) {
    if (!url.endsWith('/{*}')) continue;
    const item = paths[url];
    for (const operation of Object.values(item)) {
      for (const parameter of operation.parameters ?? []) if (parameter.in === 'path' && parameter.name === '*') parameter.name = 'path';
    }
    const renamed = Object.fromEntries(
      Object.entries(paths).map(([key, value]) => [key === url ? `${url.slice(0, -4)}/{path}` : key, value]),
    );
    for (const key of Object.keys(paths)) delete paths[key];
    Object.assign(paths, renamed);
  }
  return document;
}
