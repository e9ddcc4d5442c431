import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * Publishes the OpenAPI document that @fastify/swagger builds from the routes' Zod schemas, the
 * same schemas that validate requests and serialize responses.
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
            'Pages, sections, FAQ entries and navigation actions of a markdown site, validated and rendered once when content loads. ' +
            'Every resource is JSON by default; send `Accept: text/html` or `?format=html` for the rendered HTML fragment where one exists. ' +
            'Errors are RFC 9457 problem+json.',
        },
        tags: [
          { name: 'pages', description: 'Pages and their sections' },
          { name: 'faq', description: 'Questions and answers under FAQ headings' },
          { name: 'navigation', description: 'Call-to-action links and URL resolution' },
          { name: 'service', description: 'Health and the API description' },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });

    fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
    fastify.get('/openapi.yaml', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('application/yaml; charset=utf-8').send(openapiYaml(fastify)));
  },
  { name: 'openapi' },
);

/** The OpenAPI document as YAML: what /openapi.yaml serves and `npm run openapi` commits. */
export function openapiYaml(fastify: FastifyInstance): string {
  return fastify.swagger({ yaml: true });
}
