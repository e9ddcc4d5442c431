/**
 * @pyos/content-client: a typed client of the content API.
 *
 *     import { createClient } from '@pyos/content-client';
 *     const api = createClient({ baseUrl: 'http://localhost:3000' });
 *     const { data } = await api.pages.list({ fields: ['title', 'permalink'] });
 */
export { createClient, type ClientOptions, type ContentClient, type RawClient, type RawMediaType, type Result } from './client.js';
export {
  EventStreamParser,
  subscribe,
  type ContentEvent,
  type EventHandlers,
  type ReadyEvent,
  type SubscribeOptions,
  type Subscription,
} from './events.js';
export type { FrontMatterPath, PageField, PageFieldPath, PageSummary } from './fields.js';
export type { components, operations, paths, webhooks } from './generated/openapi.js';
export type * from './resources.js';
export type { WebhookHeaders, WebhookPayload } from './webhooks.js';
