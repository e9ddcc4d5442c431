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
    timestamp: z.string().describe('When the version was loaded (ISO 8601).'),
  })
  .meta({
    id: 'WebhookPayload',
    example: {
      type: 'content.updated',
      version: '3f2a9c1e0b7d4a21',
      previous_version: '9b1c2d3e4f5a6b7c',
      changed: ['resources'],
      timestamp: '2026-11-25T12:00:00.000Z',
    },
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
export type WebhookStatus = z.infer<typeof WebhookStatusSchema>;
