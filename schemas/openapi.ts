import { z } from 'zod';

/** This API's own OpenAPI document, as /openapi.json and /openapi.yaml serve it. */
export const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z
      .string()
      .regex(/^3\.1\./)
      .describe('OpenAPI version: 3.1.x.'),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()).describe('Every route of the API.'),
    webhooks: z.record(z.string(), z.unknown()).optional().describe('The requests the service sends (to WEBHOOK_URLS).'),
    components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }).optional(),
  })
  .meta({
    id: 'OpenApiDocument',
    description: 'An OpenAPI 3.1 document (see https://spec.openapis.org/oas/v3.1.0).',
    example: { openapi: '3.1.0', info: { title: 'Content API', version: '1.0.0' }, paths: { '/health': {} } },
  });
