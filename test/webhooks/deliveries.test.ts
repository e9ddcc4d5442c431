import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '../../schemas/webhook.ts';
import { createWebhookSender, type WebhookSender, type WebhookSenderOptions } from '../../src/webhooks/deliveries.ts';
import { until } from '../helpers/poll.ts';
import { signedPerStandardWebhooks, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

const SECRET = `whsec_${Buffer.from('deliveries-test-secret-0123456789').toString('base64')}`;
const payload = (version: string): WebhookPayload => ({
  type: 'content.updated',
  version,
  previous_version: 'v0',
  changed: ['resources'],
  timestamp: '2026-11-25T12:00:00.000Z',
});

const silent = { info: () => undefined, warn: () => undefined };
let receivers: WebhookReceiver[] = [];
let senders: WebhookSender[] = [];

async function receiver(...args: Parameters<typeof startWebhookReceiver>) {
  const started = await startWebhookReceiver(...args);
  receivers.push(started);
  return started;
}
function sender(options: Partial<WebhookSenderOptions> & Pick<WebhookSenderOptions, 'urls'>) {
  const created = createWebhookSender({ secret: SECRET, log: silent, ...options });
  senders.push(created);
  return created;
}
afterEach(async () => {
  for (const created of senders) created.close();
  await Promise.all(receivers.map((started) => started.close()));
  receivers = [];
  senders = [];
});

describe('createWebhookSender', () => {
  it('POSTs the payload as JSON to every URL, signed per Standard Webhooks', async () => {
    const [first, second] = [await receiver(), await receiver()];
    const webhooks = sender({ urls: [first.url, second.url] });
    const before = Math.floor(Date.now() / 1000);
    webhooks.send(payload('v1'));
    await until(() => webhooks.status().delivered === 2, 'both deliveries');
    for (const { received } of [first, second]) {
      expect(received).toHaveLength(1);
      const [hook] = received;
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['webhook-id']).toMatch(/^msg_[\w-]+$/);
      expect(Number(hook.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
      expect(signedPerStandardWebhooks(SECRET, hook)).toBe(true);
      expect(JSON.parse(hook.body)).toEqual(payload('v1'));
    }
    // Each endpoint gets its own message id.
    expect(first.received[0].headers['webhook-id']).not.toBe(second.received[0].headers['webhook-id']);
    expect(webhooks.status()).toMatchObject({ urls: 2, pending: 0, delivered: 2, failed: 0, dropped: 0, last_failure: null });
  });

  it('does not accept a signature made with another secret (the check is real)', async () => {
    const endpoint = await receiver();
    const webhooks = sender({ urls: [endpoint.url] });
    webhooks.send(payload('v1'));
    await until(() => endpoint.received[0], 'the delivery');
    expect(
      signedPerStandardWebhooks(`whsec_${Buffer.from('another-secret-0123456789abcdef').toString('base64')}`, endpoint.received[0]),
    ).toBe(false);
    expect(signedPerStandardWebhooks(SECRET, { ...endpoint.received[0], body: endpoint.received[0].body.replace('v1', 'v2') })).toBe(false);
  });

  it('retries a failing endpoint after each delay in turn, under the same webhook-id, then gives up and says why', async () => {
    const endpoint = await receiver(() => 500);
    const webhooks = sender({ urls: [endpoint.url], retryDelaysMs: [40, 120] });
    webhooks.send(payload('v1'));
    await until(() => webhooks.status().failed === 1, 'the delivery to be given up');
    expect(endpoint.received).toHaveLength(3);
    expect(new Set(endpoint.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    for (const hook of endpoint.received) expect(signedPerStandardWebhooks(SECRET, hook)).toBe(true);
    // Backoff: each retry waits at least its delay after the failure before it.
    const [first, second, third] = endpoint.received.map((hook) => hook.at);
    expect(second - first).toBeGreaterThanOrEqual(40 - 5);
    expect(third - second).toBeGreaterThanOrEqual(120 - 5);
    expect(webhooks.status()).toMatchObject({ pending: 0, delivered: 0, failed: 1 });
    expect(webhooks.status().last_failure?.detail).toBe('the endpoint answered 500');
  });

  it('delivers once the endpoint recovers, and counts it delivered, not failed', async () => {
    const endpoint = await receiver((n) => (n === 1 ? 503 : 204));
    const webhooks = sender({ urls: [endpoint.url], retryDelaysMs: [20] });
    webhooks.send(payload('v1'));
    await until(() => webhooks.status().delivered === 1, 'the retried delivery');
    expect(endpoint.received).toHaveLength(2);
    expect(webhooks.status()).toMatchObject({ pending: 0, delivered: 1, failed: 0 });
    expect(webhooks.status().last_failure?.detail).toBe('the endpoint answered 503');
  });

  it('gives up on an endpoint that does not answer in time, and retries it', async () => {
    const endpoint = await receiver((n) => (n === 1 ? 'hang' : 200));
    const webhooks = sender({ urls: [endpoint.url], retryDelaysMs: [20], timeoutMs: 100 });
    webhooks.send(payload('v1'));
    await until(() => webhooks.status().delivered === 1, 'the delivery after the timeout');
    expect(webhooks.status().last_failure?.detail).toBe('no answer within 100 ms');
  });

  it('names a network failure by its error code, and logs an endpoint by its origin: never its path or query, where secrets live', async () => {
    const closed = await receiver();
    const url = `${closed.url.replace(/\/$/, '')}/deploy/SECRET-PATH-7f3?token=SECRET-QUERY-9d1`;
    await closed.close();
    const lines: unknown[] = [];
    const log = { info: (...args: unknown[]) => lines.push(args), warn: (...args: unknown[]) => lines.push(args) };
    const webhooks = sender({ urls: [url], retryDelaysMs: [], log });
    webhooks.send(payload('v1'));
    await until(() => webhooks.status().failed === 1, 'the failed delivery');
    expect(webhooks.status().last_failure?.detail).toBe('network error (ECONNREFUSED)');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject([{ endpoint: 1, url: `${new URL(url).origin}/…` }, 'webhook delivery failed; giving up']);
    expect(JSON.stringify([lines, webhooks.status()])).not.toMatch(/SECRET-PATH|SECRET-QUERY/);
  });

  it('lets no endpoint that hangs delay the others', async () => {
    const stuck = await receiver(() => 'hang');
    const healthy = await receiver();
    const webhooks = sender({ urls: [stuck.url, healthy.url], timeoutMs: 60_000 });
    webhooks.send(payload('v1'));
    webhooks.send(payload('v2'));
    await until(() => healthy.received.length === 2, 'both deliveries to the healthy endpoint');
    expect(stuck.holding).toBe(1);
    expect(webhooks.status()).toMatchObject({ delivered: 2, pending: 2 });
  });

  it('keeps a bounded queue per endpoint, dropping the oldest waiting delivery', async () => {
    const endpoint = await receiver(() => 'hang');
    const webhooks = sender({ urls: [endpoint.url], maxQueue: 2 });
    webhooks.send(payload('v1'));
    await until(() => endpoint.holding === 1, 'the first delivery in flight');
    for (const version of ['v2', 'v3', 'v4']) webhooks.send(payload(version));
    expect(webhooks.status()).toMatchObject({ dropped: 1, pending: 3 });
    endpoint.answerWith(() => 200);
    endpoint.release(200);
    await until(() => webhooks.status().pending === 0, 'the queue to drain');
    expect(endpoint.received.map((hook) => JSON.parse(hook.body).version)).toEqual(['v1', 'v3', 'v4']);
  });

  it('on close, aborts the POST in flight and drops what waits, sending nothing more', async () => {
    const endpoint = await receiver(() => 'hang');
    const webhooks = sender({ urls: [endpoint.url], timeoutMs: 60_000, retryDelaysMs: [10] });
    webhooks.send(payload('v1'));
    webhooks.send(payload('v2'));
    await until(() => endpoint.holding === 1, 'the first delivery in flight');
    webhooks.close();
    await until(() => endpoint.aborted === 1, 'the POST in flight to be aborted');
    webhooks.send(payload('v3'));
    expect(webhooks.status()).toMatchObject({ pending: 0, failed: 0 });
    expect(endpoint.received).toHaveLength(1);
  });
});
