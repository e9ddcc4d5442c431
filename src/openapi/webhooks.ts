/**
 * The OpenAPI 3.1 `webhooks` of the document: the POST the service sends to each WEBHOOK_URLS on
 * a new public content version, described from the schemas the sender is typed with (the body,
 * WebhookPayloadSchema; the headers, WebhookHeadersSchema) and the sender's own retry policy.
 */
import { z } from 'zod';
import { WebhookHeadersSchema, WebhookPayloadSchema } from '../../schemas/webhook.ts';
import { DEFAULT_RETRY_DELAYS_MS, DEFAULT_TIMEOUT_MS } from '../webhooks/deliveries.ts';
import { JSON_MEDIA_TYPE } from '../http/media-types.ts';
import { componentRef } from './components.ts';

/** The name of the webhook in the document (and the operation id of its POST). */
const CONTENT_UPDATED_WEBHOOK = 'contentUpdated';

/** The tag of the requests this service sends. */
export const WEBHOOKS_TAG = { name: 'webhooks', description: 'Requests this service sends to WEBHOOK_URLS' };

type JsonSchema = Record<string, unknown>;

interface HeaderParameter {
  name: string;
  in: 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  example?: unknown;
}

/** `1 s`, `2 min`: a delay as the description says it. */
function shownDelay(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

const retries = `retried after ${DEFAULT_RETRY_DELAYS_MS.map(shownDelay).join(', ')} under the same \`webhook-id\`, then given up`;

/** Each header of WebhookHeadersSchema as an OpenAPI header parameter: its description and first example lifted out of the schema. */
function headerParameters(): HeaderParameter[] {
  return Object.entries(WebhookHeadersSchema.shape).map(([name, field]) => {
    const {
      $schema: _schema,
      description,
      examples,
      ...schema
    } = z.toJSONSchema(field, { target: 'draft-2020-12', io: 'output' }) as JsonSchema & { description?: string; examples?: unknown[] };
    return {
      name,
      in: 'header',
      required: !field.safeParse(undefined).success,
      ...(description === undefined ? {} : { description }),
      schema,
      ...(examples?.[0] === undefined ? {} : { example: examples[0] }),
    };
  });
}

/** The document's `webhooks`: one, `contentUpdated`. */
export function documentWebhooks() {
  return {
    [CONTENT_UPDATED_WEBHOOK]: {
      post: {
        tags: [WEBHOOKS_TAG.name],
        operationId: CONTENT_UPDATED_WEBHOOK,
        summary: 'A new public content version is served (sent to each WEBHOOK_URLS)',
        description:
          'POSTed to each URL of WEBHOOK_URLS when a new public content version is served: a static frontend rebuilds, a cache ' +
          'purges. A draft-only edit sends nothing; the first version loaded at start is not announced. Signed per Standard ' +
          'Webhooks with WEBHOOK_SECRET: verify `webhook-signature` over the body as received before parsing it. Each URL has its ' +
          `own queue, sent in order. A delivery that fails (no 2xx answer within ${shownDelay(DEFAULT_TIMEOUT_MS)}, a redirect, a ` +
          `network error) is ${retries}; a later version does not wait for it, so go by \`version\`, not by arrival order.`,
        parameters: headerParameters(),
        requestBody: {
          required: true,
          content: {
            [JSON_MEDIA_TYPE]: { schema: componentRef(WebhookPayloadSchema), example: z.globalRegistry.get(WebhookPayloadSchema)?.example },
          },
        },
        responses: {
          '2XX': { description: 'Delivered. The answer body is not read.' },
          '4XX': { description: `Not delivered: a refusal counts as a failure, and is ${retries}.` },
          default: { description: `Not delivered (a redirect, which is not followed, or a 5xx): ${retries}.` },
        },
      },
    },
  };
}
