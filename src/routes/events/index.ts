import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EventStreamSchema, type ContentEvent, type ReadyEvent } from '../../../schemas/events.ts';
import type { Snapshot } from '../../content/snapshot.ts';

export interface EventsRoutesOptions {
  /** Milliseconds between heartbeat comments (default 15 s). */
  heartbeatMs?: number;
}

const EVENT_STREAM_MEDIA_TYPE = 'text/event-stream';
/** How long a disconnected EventSource waits before it reconnects. */
const RETRY_MS = 2000;

interface Subscriber {
  stream: PassThrough;
  /** Whether the subscriber bears a valid preview token (and so hears of drafts). */
  preview: boolean;
}

/**
 * GET /v1/events: Server-Sent Events announcing each new content version, so a frontend's dev
 * server can refresh what changed. Streams open with a `ready` event (the current version), then
 * get a `content` event per version (id = version, data = changed slugs: published pages only;
 * with a preview token, drafts too, and the preview version, so a draft-only edit is announced to
 * preview subscribers alone), and a heartbeat comment now and then so that proxies keep
 * them open. Streams end when the client goes away or the server closes.
 */
const events: FastifyPluginAsyncZod<EventsRoutesOptions> = async (fastify, options) => {
  const subscribers = new Set<Subscriber>();
  let current: Snapshot = fastify.content.snapshot;

  const unsubscribe = fastify.content.onUpdate((update) => {
    const previous = current;
    current = update.snapshot;
    const published = update.changedSlugs.filter((slug) => previous.published.bySlug.has(slug) || current.published.bySlug.has(slug));
    // Readers hear only of new public versions; preview subscribers of every version they can see.
    const publicEvent: ContentEvent = { version: update.version, previous_version: update.previousVersion, changed: published };
    const previewEvent: ContentEvent = { version: update.previewVersion, previous_version: update.previousPreviewVersion, changed: update.changedSlugs };
    for (const subscriber of subscribers) {
      const data = subscriber.preview ? previewEvent : publicEvent;
      if (!subscriber.preview && update.version === update.previousVersion) continue;
      subscriber.stream.write(serverSentEvent('content', data.version, data));
    }
  });

  const heartbeat = setInterval(() => {
    for (const subscriber of subscribers) subscriber.stream.write(': heartbeat\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  // Open streams would keep server.close() waiting for ever: end them before it.
  fastify.addHook('preClose', async () => {
    for (const subscriber of subscribers) subscriber.stream.end();
  });
  fastify.addHook('onClose', async () => {
    clearInterval(heartbeat);
    unsubscribe();
  });

  fastify.get('/events', {
    schema: {
      tags: ['service'],
      operationId: 'streamEvents',
      summary: 'Server-Sent Events: a new content version is served',
      description:
        'A stream that stays open, for a frontend\'s dev server: refresh what changed when content changes, e.g. ' +
        '`new EventSource(url).addEventListener("content", …)`. `changed` names published pages only; with a preview token ' +
        '(`Authorization: Bearer …`), drafts too. Never cached, never compressed.',
      response: { 200: EventStreamSchema },
    },
    config: { produces: [EVENT_STREAM_MEDIA_TYPE] },
    // Compressing would hold events back in the compressor's buffer.
    compress: false,
  }, async (request, reply) => {
    const stream = new PassThrough();
    const subscriber: Subscriber = { stream, preview: request.preview };
    subscribers.add(subscriber);
    request.log.debug({ subscribers: subscribers.size }, 'event stream opened');
    // Fastify destroys the stream when the client disconnects, and ends it when the server closes.
    stream.once('close', () => {
      subscribers.delete(subscriber);
      request.log.debug({ subscribers: subscribers.size }, 'event stream closed');
    });
    const { snapshot } = fastify.content;
    const version = request.preview ? snapshot.previewVersion : snapshot.version;
    const ready: ReadyEvent = { version };
    stream.write(`retry: ${RETRY_MS}\n\n${serverSentEvent('ready', version, ready)}`);
    reply
      .header('content-type', `${EVENT_STREAM_MEDIA_TYPE}; charset=utf-8`)
      .header('cache-control', 'no-store')
      // nginx buffers proxied responses unless told not to.
      .header('x-accel-buffering', 'no');
    // The documented string, sent as it is written: Fastify pipes the stream to the client.
    return reply.send(stream as unknown as string);
  });
};

function serverSentEvent(event: string, id: string, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

export default events;
