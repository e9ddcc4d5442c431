import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_USER_AGENT, type WebhookHeaders, type WebhookPayload, type WebhookStatus } from '../../schemas/webhook.ts';

export interface WebhookSenderOptions {
  urls: readonly string[];
  /** `whsec_<base64>`: the Standard Webhooks signing secret. */
  secret: string;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** Milliseconds before each retry (default 1 s, 5 s, 30 s, 2 min, 10 min): its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Deliveries waiting per endpoint at most; beyond it the oldest are dropped (default 1,000). */
  maxQueue?: number;
  /** Milliseconds one POST may take (default 10 s). */
  timeoutMs?: number;
}

interface Delivery {
  id: string;
  body: string;
  attempt: number;
}

/** One receiver: its own queue, so a slow or failing endpoint delays no other. */
interface Endpoint {
  url: string;
  /**
   * How logs name it: its place in WEBHOOK_URLS and its origin alone. A receiver's path or query
   * often is its secret (a deploy hook's token), and logs travel further than the config.
   */
  shown: { endpoint: number; url: string };
  queue: Delivery[];
  /** A POST is in flight. */
  sending: boolean;
  /** Deliveries waiting for their retry timer. */
  retrying: number;
}

/** Milliseconds before each retry of a failed delivery; its length is the number of retries. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];
/** Milliseconds one POST may take before it counts as failed. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Sends signed webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`) in the background: `send`
 * only queues, so a content reload never waits on a receiver. Each endpoint has its own queue,
 * sent in order one POST at a time, so a receiver that hangs or fails delays no other. A delivery
 * that fails (network error, timeout, non-2xx) is retried with growing delays under the same
 * `webhook-id`, so receivers can deduplicate; later versions do not wait for it, so a receiver
 * should go by `version`, not by arrival order. Queues are bounded: when one is full, its oldest
 * delivery is dropped.
 */
export function createWebhookSender(options: WebhookSenderOptions) {
  const signer = new Webhook(options.secret);
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const maxQueue = options.maxQueue ?? 1_000;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const endpoints: Endpoint[] = options.urls.map((url, index) => ({
    url,
    shown: shownUrl(url, index),
    queue: [],
    sending: false,
    retrying: 0,
  }));
  const timers = new Set<NodeJS.Timeout>();
  // Aborts the POSTs in flight when the service shuts down.
  const shutdown = new AbortController();
  const status: Omit<WebhookStatus, 'pending'> = {
    urls: endpoints.length,
    delivered: 0,
    failed: 0,
    dropped: 0,
    last_delivered_at: null,
    last_failure: null,
  };

  function enqueue(endpoint: Endpoint, delivery: Delivery) {
    if (shutdown.signal.aborted) return;
    if (endpoint.queue.length >= maxQueue) {
      const dropped = endpoint.queue.shift()!;
      status.dropped += 1;
      options.log.warn({ webhookId: dropped.id, ...endpoint.shown }, 'webhook queue full: oldest delivery dropped');
    }
    endpoint.queue.push(delivery);
    void drain(endpoint);
  }

  async function drain(endpoint: Endpoint) {
    if (endpoint.sending) return;
    endpoint.sending = true;
    try {
      while (endpoint.queue.length > 0 && !shutdown.signal.aborted) await attempt(endpoint, endpoint.queue.shift()!);
    } finally {
      endpoint.sending = false;
    }
  }

  async function attempt(endpoint: Endpoint, delivery: Delivery) {
    const timestamp = new Date();
    const headers: WebhookHeaders & { 'content-type': string } = {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signer.sign(delivery.id, timestamp, delivery.body),
    };
    let detail: string;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), shutdown.signal]),
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) {
        status.delivered += 1;
        status.last_delivered_at = new Date().toISOString();
        options.log.info(
          { webhookId: delivery.id, ...endpoint.shown, status: response.status, attempt: delivery.attempt + 1 },
          'webhook delivered',
        );
        return;
      }
      detail = `the endpoint answered ${response.status}`;
    } catch (error) {
      // Shutting down: close() has said how many deliveries are dropped.
      if (shutdown.signal.aborted) return;
      detail = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : networkFailure(error);
    }
    status.last_failure = { at: new Date().toISOString(), detail };
    const delay = delays[delivery.attempt];
    if (delay === undefined) {
      status.failed += 1;
      options.log.warn(
        { webhookId: delivery.id, ...endpoint.shown, attempts: delivery.attempt + 1, detail },
        'webhook delivery failed; giving up',
      );
      return;
    }
    options.log.warn(
      { webhookId: delivery.id, ...endpoint.shown, attempt: delivery.attempt + 1, retryInMs: delay, detail },
      'webhook delivery failed; will retry',
    );
    endpoint.retrying += 1;
    const timer = setTimeout(() => {
      timers.delete(timer);
      endpoint.retrying -= 1;
      enqueue(endpoint, { ...delivery, attempt: delivery.attempt + 1 });
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  const pending = () => endpoints.reduce((sum, e) => sum + e.queue.length + e.retrying + (e.sending ? 1 : 0), 0);

  return {
    /** Queues one delivery of `payload` per URL and returns at once. */
    send(payload: WebhookPayload): void {
      const body = JSON.stringify(payload);
      for (const endpoint of endpoints) enqueue(endpoint, { id: `msg_${randomUUID()}`, body, attempt: 0 });
    },
    status(): WebhookStatus {
      return { ...status, pending: pending() };
    },
    /** Stops sending: POSTs in flight are aborted, deliveries still waiting are dropped (logged). */
    close(): void {
      if (shutdown.signal.aborted) return;
      const waiting = pending();
      if (waiting > 0) options.log.warn({ pending: waiting }, 'shutting down: webhook deliveries still waiting are dropped');
      shutdown.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const endpoint of endpoints) {
        endpoint.queue.length = 0;
        endpoint.retrying = 0;
      }
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

/** An endpoint as logs name it (see Endpoint.shown): `https://hooks.example.org/…`. */
function shownUrl(url: string, index: number): Endpoint['shown'] {
  const { origin, pathname, search } = new URL(url);
  return { endpoint: index + 1, url: pathname === '/' && search === '' ? `${origin}/` : `${origin}/…` };
}

/**
 * What a failed POST is said to have met, in /health and the logs: the system's error code
 * (`ECONNREFUSED`, `ENOTFOUND`…) and never fetch's message, which may quote the whole URL.
 */
function networkFailure(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? `network error (${code})` : 'network error';
}
