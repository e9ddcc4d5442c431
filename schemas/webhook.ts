import { z } from 'zod';
import { changedSlugsFields } from './changed-slugs.ts';

/**
 * The body POSTed to each WEBHOOK_URLS on a new public content version. It names the changed
 * slugs as a `content` event does, capped alike: a receiver would refuse a body as big as a
 * checkout of the whole site.
 */
export const WebhookPayloadSchema = z
  .object({
    type: z.literal('content.updated'),
    version: z.string().describe('The new public content version (as /health and ETags see it).'),
    previous_version: z.string().describe('The public version it replaces.'),
    ...changedSlugsFields('Slugs of the published pages added, changed or removed (drafts never appear).'),
    timestamp: z.iso.datetime().describe('When the version was loaded (ISO 8601, UTC).'),
  })
  .meta({
    id: 'WebhookPayload',
    description: 'The JSON body POSTed to each WEBHOOK_URLS on a new public content version (the `contentUpdated` webhook).',
    example: {
      type: 'content.updated',
      version: '3f2a9c1e0b7d4a21',
      previous_version: '9b1c2d3e4f5a6b7c',
      changed: ['resources'],
      timestamp: '2026-11-25T12:00:00.000Z',
    },
  });

/** The User-Agent of every delivery, so a receiver's logs tell them from other POSTs. */
export const WEBHOOK_USER_AGENT = 'pyos-content-api-webhooks';

/**
 * The headers of each POST besides Content-Type (application/json), per Standard Webhooks
 * (https://www.standardwebhooks.com/): the sender types the headers it sends with it, and the
 * OpenAPI document's `webhooks` describes them from it.
 */
export const WebhookHeadersSchema = z.object({
  'webhook-id': z
    .string()
    .regex(/^msg_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    .describe('`msg_` and a random UUID, one per delivery: a retry sends the same id, so a receiver can ignore one it has handled.')
    .meta({ examples: ['msg_2f6c8e1a-4b7d-4c3e-9a15-0d8b7e6f5a43'] }),
  'webhook-timestamp': z
    .string()
    .regex(/^\d+$/)
    .describe(
      'When this attempt was signed, in seconds since the Unix epoch: a receiver should refuse one too far from its clock (replays).',
    )
    .meta({ examples: ['1795608000'] }),
  'webhook-signature': z
    .string()
    .regex(/^v1,[A-Za-z0-9+/]{43}=$/)
    .describe(
      '`v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` (the body as sent, byte for byte), keyed ' +
        'with the base64-decoded part of WEBHOOK_SECRET after `whsec_`. Any Standard Webhooks library verifies it.',
    )
    .meta({ examples: ['v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='] }),
  'user-agent': z.literal(WEBHOOK_USER_AGENT).describe('Every delivery says it comes from this service.'),
});

/** Webhook deliveries since the process started, in /health. */
export const WebhookStatusSchema = z
  .object({
    urls: z.number().int().min(0).describe('Endpoints configured (WEBHOOK_URLS).'),
    pending: z.number().int().min(0).describe('Deliveries waiting to be sent or retried.'),
    delivered: z.number().int().min(0),
    failed: z.number().int().min(0).describe('Deliveries given up after every retry.'),
    dropped: z.number().int().min(0).describe('Deliveries dropped because the queue was full (the oldest go first).'),
    last_delivered_at: z.string().nullable(),
    last_failure: z
      .object({ at: z.string(), detail: z.string() })
      .nullable()
      .describe('The latest failed attempt: when, and why (status code or network error).'),
  })
  .describe('Webhook deliveries since the process started.');

export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;
export type WebhookHeaders = z.infer<typeof WebhookHeadersSchema>;
export type WebhookStatus = z.infer<typeof WebhookStatusSchema>;
