/**
 * What the service POSTs to each of its WEBHOOK_URLS on a new public content version: the
 * `contentUpdated` webhook of its OpenAPI document, typed from it for a receiver (a static
 * frontend's rebuild hook). Verify `webhook-signature` (Standard Webhooks, with the service's
 * WEBHOOK_SECRET) over the body as received before trusting what it parses to.
 */
import type { components, operations } from './generated/openapi.js';

/** The JSON body of a delivery: the new public version, the one it replaces, the changed slugs. */
export type WebhookPayload = components['schemas']['WebhookPayload'];

/** The headers of a delivery besides Content-Type: the Standard Webhooks id, timestamp and signature. */
export type WebhookHeaders = operations['contentUpdated']['parameters']['header'];
