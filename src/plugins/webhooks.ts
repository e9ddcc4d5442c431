import fp from 'fastify-plugin';
import { capChangedSlugs } from '../../schemas/changed-slugs.ts';
import type { WebhookStatus } from '../../schemas/webhook.ts';
import { createWebhookSender } from '../webhooks/deliveries.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Webhook deliveries since start, or null when no WEBHOOK_URLS are set. */
    webhookStatus(): WebhookStatus | null;
  }
}

export interface WebhooksPluginOptions {
  urls: readonly string[];
  secret?: string;
  /** Milliseconds before each retry (tests shorten them). */
  retryDelaysMs?: readonly number[];
}

/**
 * Announces every new public content version to WEBHOOK_URLS (a static frontend's rebuild hook),
 * signed per Standard Webhooks. Only public versions count: a draft-only edit keeps the public
 * version, and sends nothing. A payload names at most MAX_CHANGED_SLUGS slugs, as a `content`
 * event does (else `truncated`). Sending is queued: a reload never waits for a receiver.
 */
export default fp<WebhooksPluginOptions>(
  async (fastify, options) => {
    const sender =
      options.urls.length > 0 && options.secret
        ? createWebhookSender({ urls: options.urls, secret: options.secret, log: fastify.log, retryDelaysMs: options.retryDelaysMs })
        : null;
    fastify.decorate('webhookStatus', () => sender?.status() ?? null);
    if (!sender) return;
    fastify.content.onUpdate((update) => {
      if (update.version === update.previousVersion) return;
      sender.send({
        type: 'content.updated',
        version: update.version,
        previous_version: update.previousVersion,
        // The slugs /v1/events names to readers: one computation for both (see ContentUpdate).
        ...capChangedSlugs(update.publicChangedSlugs()),
        timestamp: update.snapshot.loadedAt.toISOString(),
      });
    });
    fastify.addHook('onClose', () => sender.close());
  },
  { name: 'webhooks', dependencies: ['content'] },
);
