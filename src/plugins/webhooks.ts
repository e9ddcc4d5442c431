import fp from 'fastify-plugin';
import { capChangedSlugs } from '../../schemas/changed-slugs.ts';
import type { WebhookStatus } from '../../schemas/webhook.ts';
import type { Snapshot } from '../model/snapshot.ts';
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
    let published: Snapshot['published'] | null = null;
    void fastify.content.loaded.then(() => (published ??= fastify.content.snapshot.published));
    fastify.content.onUpdate(({ snapshot, version, previousVersion }) => {
      const before = published;
      published = snapshot.published;
      if (version === previousVersion) return;
      sender.send({
        type: 'content.updated',
        version,
        previous_version: previousVersion,
        ...capChangedSlugs(before ? changedPublicSlugs(before, snapshot.published) : []),
        timestamp: snapshot.loadedAt.toISOString(),
      });
    });
    fastify.addHook('onClose', () => sender.close());
  },
  { name: 'webhooks', dependencies: ['content'] },
);

/** Published pages added, changed or removed between two published views (compared by their ETags). */
function changedPublicSlugs(before: Snapshot['published'], after: Snapshot['published']): string[] {
  const changed = new Set<string>();
  for (const [slug, record] of after.bySlug) {
    const was = before.bySlug.get(slug);
    if (!was || (was !== record && was.json.etag !== record.json.etag)) changed.add(slug);
  }
  for (const slug of before.bySlug.keys()) if (!after.bySlug.has(slug)) changed.add(slug);
  return [...changed].sort();
}
