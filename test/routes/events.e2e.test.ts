import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHANGED_SLUGS } from '../../schemas/changed-slugs.ts';
import { DEFAULT_EVENTS_LIMITS } from '../../src/routes/events/index.ts';
import { buildApp } from '../../src/build-app.ts';
import { Contract, checkedAgainstContract } from '../helpers/contract.ts';
import { bundledContent } from '../helpers/app.ts';
import { until } from '../helpers/poll.ts';

const TOKEN = 'preview-token-for-tests-0123456789';

interface ServerSentEvent {
  event: string;
  id: string;
  data: unknown;
}

/**
 * An open /v1/events stream, read in the background as a browser's EventSource would. Streams
 * stay open until the app closes, which ends them. Every read of its events first checks the
 * whole stream so far against the schema the OpenAPI document publishes for it, so no test reads
 * an event the document does not describe.
 */
async function subscribe(base: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/v1/events`, { headers: { accept: 'text/event-stream', ...headers } });
  let text = '';
  let ended = false;
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) text += decoder.decode(chunk, { stream: true });
    ended = true;
  })();
  open.push(reading);
  return {
    response,
    text: () => text,
    ended: () => ended,
    /** How the stream so far departs from the published schema of its events. */
    violations: () => contract.streamViolations('/v1/events', text),
    events: (): ServerSentEvent[] => {
      const found = contract.streamViolations('/v1/events', text);
      if (found.length > 0) throw new Error(`/v1/events sent events the OpenAPI document does not describe:\n  ${found.join('\n  ')}`);
      return text
        .split('\n\n')
        .filter((block) => block.includes('event:'))
        .map((block) => {
          const field = (name: string) =>
            block
              .split('\n')
              .find((line) => line.startsWith(`${name}: `))
              ?.slice(name.length + 2) ?? '';
          return { event: field('event'), id: field('id'), data: JSON.parse(field('data')) };
        });
    },
  };
}

const open: Promise<void>[] = [];
const logs: { msg: string; subscribers?: number }[] = [];

/** Slugs of pages moved into the content folder at once, long enough that naming a thousand takes over 64 KB. */
const movedSlugs = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `moved-in-at-once-as-a-git-checkout-of-a-large-site-would-do-it-long-slug-page-number-${String(i).padStart(5, '0')}`,
  );
let dir: string;
let app: FastifyInstance;
let base: string;
let contract: Contract;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'events-'));
  await cp(bundledContent, dir, { recursive: true });
  app = checkedAgainstContract(
    await buildApp(
      { contentDir: dir, previewToken: TOKEN, eventsHeartbeatMs: 50 },
      { logger: { level: 'debug', stream: { write: (line: string) => logs.push(JSON.parse(line)) } } },
    ),
  );
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  contract = await Contract.served((options) => app.inject(options));
});
afterAll(async () => {
  await app.close();
  // Every stream a test left open has been ended by the server.
  await Promise.all(open);
  await rm(dir, { recursive: true, force: true });
});

describe('GET /v1/events', () => {
  it('opens a text/event-stream with a retry delay and a ready event carrying the current version', async () => {
    const stream = await subscribe(base);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-store');
    const [ready] = await until(() => stream.events().length > 0 && stream.events(), 'the ready event');
    expect(stream.text().startsWith('retry: 2000\n\n')).toBe(true);
    expect(ready).toEqual({ event: 'ready', id: app.content.snapshot.version, data: { version: app.content.snapshot.version } });
  });

  it('announces each new content version with its id and the changed slugs', async () => {
    const stream = await subscribe(base);
    await until(() => stream.events().length > 0, 'the ready event');
    const previous = app.content.snapshot.version;
    await writeFile(
      path.join(dir, 'resources.md'),
      '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nChanged for the event test.\n',
    );
    const { version } = await app.content.reload();
    expect(version).not.toBe(previous);
    const event = await until(() => stream.events().find((e) => e.event === 'content'), 'a content event');
    expect(event).toEqual({ event: 'content', id: version, data: { version, previous_version: previous, changed: ['resources'] } });
  });

  it('sends only events the OpenAPI document publishes: a ReadyEvent, then ContentEvents, previous_version a version', async () => {
    const stream = await subscribe(base);
    await until(() => stream.events().length > 0, 'the ready event');
    const previous = app.content.snapshot.version;
    await appendFile(path.join(dir, 'contributors.md'), '\nChanged for the schema test.\n');
    await app.content.reload();
    await until(() => stream.events().some((e) => e.event === 'content'), 'a content event');
    expect(stream.violations()).toEqual([]);
    expect(stream.events().map((e) => e.event)).toEqual(['ready', 'content']);
    expect(stream.events()[1].data).toMatchObject({ previous_version: previous });
  });

  it('announces a draft-only edit to subscribers with a preview token alone, and keeps the public version', async () => {
    const anonymous = await subscribe(base);
    const wrong = await subscribe(base, { authorization: 'Bearer wrong-token' });
    const preview = await subscribe(base, { authorization: `Bearer ${TOKEN}` });
    for (const stream of [anonymous, wrong, preview]) await until(() => stream.events().length > 0, 'the ready event');
    const before = app.content.snapshot;
    await writeFile(
      path.join(dir, 'roadmap-draft.md'),
      '---\ntitle: "Roadmap (draft)"\npublished: false\npermalink: /roadmap/\n---\n\nA new draft text.\n',
    );
    const drafted = await app.content.reload();
    expect(drafted.version).toBe(before.version);
    expect(drafted.previewVersion).not.toBe(before.previewVersion);
    const draftEvent = await until(() => preview.events().find((e) => e.event === 'content'), 'a preview content event');
    expect(draftEvent).toEqual({
      event: 'content',
      id: drafted.previewVersion,
      data: { version: drafted.previewVersion, previous_version: before.previewVersion, changed: ['roadmap-draft'] },
    });
    // Then a public edit: the first event readers get is that one, from the version they had.
    await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nChanged after the draft.\n');
    const { version } = await app.content.reload();
    for (const stream of [anonymous, wrong]) {
      const event = await until(() => stream.events().find((e) => e.event === 'content'), 'a public content event');
      expect(event).toEqual({ event: 'content', id: version, data: { version, previous_version: before.version, changed: ['resources'] } });
    }
    expect(anonymous.text()).not.toContain('roadmap');
  });

  it('delivers an event of more changed pages than the cap to every subscriber, naming the first of them and saying truncated', async () => {
    // Three readers that keep up, as in `curl -sN` ×3 while a folder of pages is moved in.
    const streams = [await subscribe(base), await subscribe(base), await subscribe(base, { authorization: `Bearer ${TOKEN}` })];
    for (const stream of streams) await until(() => stream.events().length > 0, 'the ready event');
    const before = app.content.snapshot;
    const slugs = movedSlugs(MAX_CHANGED_SLUGS + 200);
    // Even the capped list makes one event bigger than a reader's backlog limit, which dropped every reader.
    expect(JSON.stringify(slugs.slice(0, MAX_CHANGED_SLUGS)).length).toBeGreaterThan(DEFAULT_EVENTS_LIMITS.maxBufferBytes);
    await Promise.all(slugs.map((slug, i) => writeFile(path.join(dir, `${slug}.md`), `---\ntitle: "Moved ${i}"\n---\n\nMoved in.\n`)));
    const moved = await app.content.reload();
    expect(moved.version).not.toBe(before.version);
    const [anonymous, other, preview] = streams;
    for (const [stream, version, previous] of [
      [anonymous, moved.version, before.version],
      [other, moved.version, before.version],
      [preview, moved.previewVersion, before.previewVersion],
    ] as const) {
      const event = await until(() => stream.events().find((e) => e.event === 'content'), 'the large content event');
      expect(event).toEqual({
        event: 'content',
        id: version,
        data: { version, previous_version: previous, changed: [...slugs].sort().slice(0, MAX_CHANGED_SLUGS), truncated: true },
      });
    }

    // Nobody was dropped: the same streams hear of the next edit, named in full.
    await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nChanged after the move.\n');
    const { version } = await app.content.reload();
    for (const stream of [anonymous, other]) {
      const event = await until(() => stream.events().filter((e) => e.event === 'content')[1], 'the next content event');
      expect(event).toEqual({ event: 'content', id: version, data: { version, previous_version: moved.version, changed: ['resources'] } });
      expect(stream.ended()).toBe(false);
    }
    expect(logs.filter((line) => line.msg === 'event stream dropped: its reader fell behind')).toEqual([]);
  });

  it('sends a heartbeat comment periodically', async () => {
    const stream = await subscribe(base);
    await until(() => stream.text().includes('\n: heartbeat\n\n'), 'a heartbeat');
  });

  it('forgets a client that disconnects', async () => {
    // node:http without keep-alive: the socket closes with the request, as a closed browser tab's does.
    const request = get(`${base}/v1/events`, { agent: false, headers: { accept: 'text/event-stream' } });
    const response = await new Promise<import('node:http').IncomingMessage>((resolve) => request.once('response', resolve));
    await new Promise((resolve) => response.once('data', resolve));
    const subscribers = logs.filter((line) => line.msg === 'event stream opened').at(-1)!.subscribers!;
    request.destroy();
    const closed = await until(() => logs.filter((line) => line.msg === 'event stream closed').at(-1), 'the server to close the stream');
    expect(closed.subscribers).toBe(subscribers - 1);
  });

  it('answers 406 problem+json to a client that does not accept text/event-stream', async () => {
    const response = await app.inject({ url: '/v1/events', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(406);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('ends open streams when the app closes, so that close() does not wait for them', async () => {
    const other = await buildApp({ contentDir: bundledContent });
    const stream = await subscribe(await other.listen({ port: 0, host: '127.0.0.1' }));
    await until(() => stream.events().length > 0, 'the ready event');
    await other.close();
    await until(() => stream.ended(), 'the stream to end');
    expect(stream.text()).toContain('event: ready');
  });
});
