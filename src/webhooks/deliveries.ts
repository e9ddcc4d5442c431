import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookPayload, WebhookStatus } from '../../schemas/webhook.ts';

export interface WebhookSenderOptions {
  urls: readonly string[];
  /** `whsec_<base64>`: the Standard Webhooks signing secret. */
  secret: string;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** Milliseconds before each retry (default 1 s, 5 s, 30 s, 2 min, 10 min): its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Deliveries waiting at most; beyond it the oldest are dropped (default 1,000). */
  maxQueue?: number;
  /** Milliseconds one POST may take (default 10 s). */
  timeoutMs?: number;
}

interface Delivery {
  id: string;
  url: string;
  body: string;
  attempt: number;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

/**
 * Sends signed webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`) in the background: `send`
 * only queues, so a content reload never waits on a receiver. A delivery that fails (network
 * error, timeout, non-2xx) is retried with growing delays under the same `webhook-id`, so
 * receivers can deduplicate. The queue is bounded: when full, the oldest delivery is dropped.
 */
export function createWebhookSender(options: WebhookSenderOptions) {
  const signer = new Webhook(options.secret);
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const maxQueue = options.maxQueue ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const queue: Delivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let waitingRetry = 0;
  let running = false;
  let closed = false;
  const status: WebhookStatus = {
    urls: options.urls.length,
    pending: 0,
    delivered: 0,
    failed: 0,
    dropped: 0,
    last_delivered_at: null,
    last_failure: null,
  };

  const enqueue = (delivery: Delivery) => {
    if (closed) return;
    if (queue.length >= maxQueue) {
      const dropped = queue.shift()!;
      status.dropped += 1;
      options.log.warn({ webhookId: dropped.id, url: dropped.url }, 'webhook queue full: oldest delivery dropped');
    }
    queue.push(delivery);
    void drain();
  };

  async function drain() {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0 && !closed) await attempt(queue.shift()!);
    } finally {
      running = false;
    }
  }

  async function attempt(delivery: Delivery) {
    const timestamp = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'pyos-content-api-webhooks',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signer.sign(delivery.id, timestamp, delivery.body),
    };
    let detail: string;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) {
        status.delivered += 1;
        status.last_delivered_at = new Date().toISOString();
        options.log.info(
          { webhookId: delivery.id, url: delivery.url, status: response.status, attempt: delivery.attempt + 1 },
          'webhook delivered',
        );
        return;
      }
      detail = `the endpoint answered ${response.status}`;
    } catch (error) {
      detail =
        (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error (${(error as Error).message})`;
    }
    status.last_failure = { at: new Date().toISOString(), detail };
    const delay = delays[delivery.attempt];
    if (delay === undefined || closed) {
      status.failed += 1;
      options.log.warn(
        { webhookId: delivery.id, url: delivery.url, attempts: delivery.attempt + 1, detail },
        'webhook delivery failed; giving up',
      );
      return;
    }
    options.log.warn(
      { webhookId: delivery.id, url: delivery.url, attempt: delivery.attempt + 1, retryInMs: delay, detail },
      'webhook delivery failed; will retry',
    );
    waitingRetry += 1;
    const timer = setTimeout(() => {
      timers.delete(timer);
      waitingRetry -= 1;
      enqueue({ ...delivery, attempt: delivery.attempt + 1 });
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  return {
    /** Queues one delivery of `payload` per URL and returns at once. */
    send(payload: WebhookPayload): void {
      const body = JSON.stringify(payload);
      for (const url of options.urls) enqueue({ id: `msg_${randomUUID()}`, url, body, attempt: 0 });
    },
    status(): WebhookStatus {
      return { ...status, pending: queue.length + waitingRetry + (running ? 1 : 0) };
    },
    /** Stops retrying; deliveries still waiting are dropped (logged). */
    close(): void {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      if (queue.length + timers.size > 0)
        options.log.warn({ pending: queue.length + timers.size }, 'shutting down: webhook deliveries still waiting are dropped');
      timers.clear();
      queue.length = 0;
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
