import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHANGED_SLUGS } from '../../schemas/changed-slugs.ts';
import type { Health } from '../../schemas/health.ts';
import { buildApp } from '../../src/build-app.ts';
import type { ContentUpdate } from '../../src/plugins/content.ts';
import { copyOfBundledContent } from '../helpers/app.ts';
import { Contract, checkedAgainstContract } from '../helpers/contract.ts';
import { until } from '../helpers/poll.ts';
import { signedPerStandardWebhooks, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

const SECRET = `whsec_${Buffer.from('webhooks-plugin-test-secret-0123').toString('base64')}`;

let work: string;
let dir: string;
let app: FastifyInstance;
let receiver: WebhookReceiver;
let contract: Contract;

const health = async () => (await app.inject('/health')).json<Health>();
const webhooks = async () => (await health()).webhooks!;
const edit = (file: string, text: string) => appendFile(path.join(dir, file), `\n${text}\n`);

beforeAll(async () => {
  ({ work, dir } = await copyOfBundledContent('webhooks-'));
  receiver = await startWebhookReceiver();
  app = checkedAgainstContract(
    await buildApp({ contentDir: dir, webhookUrls: [receiver.url], webhookSecret: SECRET, webhookRetryDelaysMs: [20, 20] }),
  );
  contract = await Contract.served((options) => app.inject(options));
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
  await rm(work, { recursive: true, force: true });
});

describe('webhooks (WEBHOOK_URLS, WEBHOOK_SECRET)', () => {
  it('announce nothing for the first version, and show their state in /health', async () => {
    expect(await webhooks()).toEqual({
      urls: 1,
      pending: 0,
      delivered: 0,
      failed: 0,
      dropped: 0,
      last_delivered_at: null,
      last_failure: null,
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('POST once on a public edit, signed per Standard Webhooks, naming the new version, the previous one and the changed page', async () => {
    const before = (await health()).version;
    await edit('resources.md', 'A public edit the webhook announces.');
    await app.content.reload();
    const after = (await health()).version;
    expect(after).not.toBe(before);
    await untilDelivered(1);
    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    expect(signedPerStandardWebhooks(SECRET, hook)).toBe(true);
    expect(contract.webhookViolations('contentUpdated', hook)).toEqual([]);
    expect(JSON.parse(hook.body)).toEqual({
      type: 'content.updated',
      version: after,
      previous_version: before,
      changed: ['resources'],
      timestamp: app.content.snapshot.loadedAt.toISOString(),
    });
    expect((await webhooks()).last_delivered_at).toEqual(expect.any(String));
  });

  it('send nothing for a draft-only edit: the next POST is the next public change', async () => {
    const { version } = await health();
    const preview = app.content.snapshot.previewVersion;
    await edit('roadmap-draft.md', 'A draft-only edit.');
    await app.content.reload();
    expect(app.content.snapshot.previewVersion).not.toBe(preview);
    expect((await health()).version).toBe(version);
    // Nothing was queued for it…
    expect((await webhooks()).pending).toBe(0);
    // …and the next delivery is the next public version, following the one before the draft edit.
    await edit('python-packages.md', 'A public edit after the draft one.');
    await app.content.reload();
    await untilDelivered(2);
    expect(receiver.received).toHaveLength(2);
    expect(JSON.parse(receiver.received[1].body)).toMatchObject({ previous_version: version, changed: ['python-packages'] });
  });

  it('never hold up a reload on a receiver that hangs or fails; retry it, and say how it went in /health', async () => {
    receiver.answerWith(() => 'hang');
    await edit('contributors.md', 'An edit while the receiver hangs.');
    // The reload completes, and the edit is served, while the POST it caused is still unanswered.
    await app.content.reload();
    expect((await app.inject('/v1/pages/contributors')).body).toContain('An edit while the receiver hangs.');
    await until(() => receiver.holding === 1, 'the POST to reach the receiver');
    expect((await webhooks()).pending).toBe(1);

    receiver.answerWith(() => 200);
    receiver.release(500);
    await untilDelivered(3);
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received[3].headers['webhook-id']).toBe(receiver.received[2].headers['webhook-id']);
    expect(await webhooks()).toMatchObject({ pending: 0, delivered: 3, failed: 0, last_failure: { detail: 'the endpoint answered 500' } });
  });

  it('name at most MAX_CHANGED_SLUGS slugs and say truncated when more pages changed; the next small change names its slugs, with no truncated', async () => {
    const delivered = (await webhooks()).delivered;
    const before = (await health()).version;
    // A git checkout of a large site: more pages at once than a payload names.
    const slugs = Array.from({ length: MAX_CHANGED_SLUGS + 50 }, (_, i) => `checked-out-page-${String(i).padStart(5, '0')}`);
    await Promise.all(
      slugs.map((slug, i) => writeFile(path.join(dir, `${slug}.md`), `---\ntitle: "Checked out ${i}"\n---\n\nChecked out.\n`)),
    );
    await app.content.reload();
    const after = (await health()).version;
    await untilDelivered(delivered + 1);
    const large = receiver.received.at(-1)!;
    // The signature covers the body as sent, capped.
    expect(signedPerStandardWebhooks(SECRET, large)).toBe(true);
    const payload = JSON.parse(large.body);
    expect(payload).toEqual({
      type: 'content.updated',
      version: after,
      previous_version: before,
      changed: slugs.slice(0, MAX_CHANGED_SLUGS),
      truncated: true,
      timestamp: app.content.snapshot.loadedAt.toISOString(),
    });
    expect(contract.webhookViolations('contentUpdated', large)).toEqual([]);

    await edit('resources.md', 'A small edit after the checkout.');
    await app.content.reload();
    await untilDelivered(delivered + 2);
    const small = JSON.parse(receiver.received.at(-1)!.body);
    expect(small).toMatchObject({ previous_version: after, changed: ['resources'] });
    expect(Object.keys(small)).not.toContain('truncated');
  });

  it('name the pages public clients see change, as /v1/events names them: a page unpublished and a page published, not a draft edited beside them', async () => {
    const delivered = (await webhooks()).delivered;
    const updates: ContentUpdate[] = [];
    const unsubscribe = app.content.onUpdate((update) => updates.push(update));
    try {
      const peerReview = path.join(dir, 'peer-review.md');
      await writeFile(peerReview, (await readFile(peerReview, 'utf8')).replace('---\n', '---\npublished: false\n'));
      await writeFile(path.join(dir, 'fresh-page.md'), '---\ntitle: "Fresh"\n---\n\nPublished now.\n');
      await edit('roadmap-draft.md', 'A draft edit beside the public ones.');
      await app.content.reload();
    } finally {
      unsubscribe();
    }
    await untilDelivered(delivered + 1);
    const [update] = updates;
    // Preview listeners hear of the draft; readers and webhooks only of what they can see change
    // (pages that link to the unpublished one changed too: their links resolve differently now).
    expect(update.changedSlugs).toEqual(expect.arrayContaining(['fresh-page', 'peer-review', 'roadmap-draft']));
    expect(update.publicChangedSlugs()).toEqual(update.changedSlugs.filter((slug) => slug !== 'roadmap-draft'));
    expect(JSON.parse(receiver.received.at(-1)!.body)).toMatchObject({ version: update.version, changed: update.publicChangedSlugs() });
  });

  it('send every delivery, retries included, as the webhook the OpenAPI document publishes (headers and body)', () => {
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(receiver.received.flatMap((hook) => contract.webhookViolations('contentUpdated', hook))).toEqual([]);
  });
});

/** Waits until /health counts `count` deliveries. */
async function untilDelivered(count: number) {
  const deadline = Date.now() + 10_000;
  while ((await webhooks()).delivered < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} webhook deliveries`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
