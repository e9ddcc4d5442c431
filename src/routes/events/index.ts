import { PassThrough } from 'node:stream';
import { NoQuerySchema } from '../../../schemas/query.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MAX_CHANGED_SLUGS_TEXT } from '../../../schemas/changed-slugs.ts';
import { EventStreamSchema, framedEvent, type ServerSentEvent } from '../../../schemas/events.ts';
import { ProblemSchema } from '../../../schemas/problem.ts';
import { HttpProblem } from '../../http/problem.ts';
import { writeUnlessBehind } from './backlog.ts';
import { contentEvent } from './content-event.ts';

/** How many streams may be open, and how far a reader may fall behind. */
export interface EventsLimits {
  /** Streams open at most (EVENTS_MAX_CLIENTS). */
  maxClients: number;
  /** Streams open at most per client address (EVENTS_MAX_PER_ADDRESS). */
  maxPerAddress: number;
  /** Bytes of events waiting for one reader before its stream is dropped (EVENTS_MAX_BUFFER_KB). */
  maxBufferBytes: number;
}

export const DEFAULT_EVENTS_LIMITS: EventsLimits = { maxClients: 1_000, maxPerAddress: 100, maxBufferBytes: 64 * 1024 };

export interface EventsRoutesOptions {
  /** Milliseconds between heartbeat comments (default 15 s). */
  heartbeatMs?: number;
  limits?: Partial<EventsLimits>;
}

const EVENT_STREAM_MEDIA_TYPE = 'text/event-stream';
/** How long a disconnected EventSource waits before it reconnects. */
const RETRY_MS = 2000;

/** Seconds a refused client is asked to wait (Retry-After). */
const RETRY_AFTER_SECONDS = 30;

interface Subscriber {
  stream: PassThrough;
  address: string;
  /** Whether the subscriber bears a valid preview token (and so hears of drafts). */
  preview: boolean;
}

/**
 * GET /v1/events: Server-Sent Events announcing each new content version, so a frontend's dev
 * server can refresh what changed. Streams open with a `ready` event (the current version), then
 * get a `content` event per version (id = version, data = changed slugs: published pages only;
 * with a preview token, drafts too, and the preview version, so a draft-only edit is announced to
 * preview subscribers alone; at most MAX_CHANGED_SLUGS of them, else `truncated`), and a
 * heartbeat comment now and then so that proxies keep them open. Streams end when the client goes
 * away or the server closes.
 */
const events: FastifyPluginAsyncZod<EventsRoutesOptions> = async (fastify, options) => {
  const limits = { ...DEFAULT_EVENTS_LIMITS, ...options.limits };
  const subscribers = new Set<Subscriber>();
  const perAddress = new Map<string, number>();

  /**
   * Writes to one stream, respecting backpressure: what the socket has not taken yet waits in the
   * stream's buffers, and a reader that lets more than `maxBufferBytes` pile up is dropped (its
   * EventSource reconnects and starts from the current version) rather than held in memory.
   */
  const send = (subscriber: Subscriber, chunk: Buffer | string) => {
    const { stream } = subscriber;
    if (stream.destroyed) return;
    if (!writeUnlessBehind(stream, chunk, limits.maxBufferBytes)) {
      fastify.log.debug({ address: subscriber.address }, 'event stream dropped: its reader fell behind');
      stream.destroy();
    }
  };

  const unsubscribe = fastify.content.onUpdate((update) => {
    // Readers hear only of new public versions; preview subscribers of every version they can see.
    // Each event is encoded once, when a first subscriber needs it, and the same bytes are queued
    // on every stream: with no subscriber (or no preview one) nothing is encoded.
    let publicEvent: Buffer | null | undefined;
    let previewEvent: Buffer | undefined;
    const publicEventOnce = () =>
      (publicEvent ??=
        update.version === update.previousVersion
          ? null
          : serverSentEvent({
              event: 'content',
              id: update.version,
              data: contentEvent(update.version, update.previousVersion, update.publicChangedSlugs()),
            }));
    const previewEventOnce = () =>
      (previewEvent ??= serverSentEvent({
        event: 'content',
        id: update.previewVersion,
        data: contentEvent(update.previewVersion, update.previousPreviewVersion, update.changedSlugs),
      }));
    for (const subscriber of subscribers) {
      const event = subscriber.preview ? previewEventOnce() : publicEventOnce();
      if (event) send(subscriber, event);
    }
  });

  const heartbeat = setInterval(() => {
    for (const subscriber of subscribers) send(subscriber, ': heartbeat\n\n');
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

  fastify.get(
    '/events',
    {
      schema: {
        tags: ['service'],
        operationId: 'streamEvents',
        querystring: NoQuerySchema,
        summary: 'Server-Sent Events: a new content version is served',
        description:
          "A stream that stays open, for a frontend's dev server: refresh what changed when content changes, e.g. " +
          '`new EventSource(url).addEventListener("content", …)`. `changed` names published pages only; with a preview token ' +
          '(`Authorization: Bearer …`), drafts too. Never cached, never compressed. At most EVENTS_MAX_CLIENTS streams are open ' +
          '(default 1,000), EVENTS_MAX_PER_ADDRESS per client address (default 100): beyond, 503 with Retry-After. A reader that falls ' +
          'more than EVENTS_MAX_BUFFER_KB behind (default 64) is dropped; its EventSource reconnects. An event names at most ' +
          `${MAX_CHANGED_SLUGS_TEXT} slugs; when more changed, it says \`"truncated": true\`: refetch everything.`,
        response: { 200: EventStreamSchema, 503: ProblemSchema },
      },
      config: { produces: [EVENT_STREAM_MEDIA_TYPE] },
      // Compressing would hold events back in the compressor's buffer.
      compress: false,
    },
    async (request, reply) => {
      const address = request.ip;
      const fromAddress = perAddress.get(address) ?? 0;
      if (subscribers.size >= limits.maxClients || fromAddress >= limits.maxPerAddress) {
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        throw new HttpProblem(
          503,
          subscribers.size >= limits.maxClients
            ? `As many event streams are open as this service allows (${limits.maxClients}); retry in ${RETRY_AFTER_SECONDS} s.`
            : `As many event streams are open from this address as this service allows (${limits.maxPerAddress}); close one, or retry in ${RETRY_AFTER_SECONDS} s.`,
        );
      }
      const stream = new PassThrough();
      const subscriber: Subscriber = { stream, address, preview: request.preview };
      subscribers.add(subscriber);
      perAddress.set(address, fromAddress + 1);
      request.log.debug({ subscribers: subscribers.size }, 'event stream opened');
      // Fastify destroys the stream when the client disconnects, and ends it when the server closes.
      stream.once('close', () => {
        subscribers.delete(subscriber);
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
        request.log.debug({ subscribers: subscribers.size }, 'event stream closed');
      });
      const { snapshot } = fastify.content;
      const version = request.preview ? snapshot.previewVersion : snapshot.version;
      stream.write(`retry: ${RETRY_MS}\n\n`);
      stream.write(serverSentEvent({ event: 'ready', id: version, data: { version } }));
      reply
        .header('content-type', `${EVENT_STREAM_MEDIA_TYPE}; charset=utf-8`)
        .header('cache-control', 'no-store')
        // nginx buffers proxied responses unless told not to.
        .header('x-accel-buffering', 'no');
      // The documented string, sent as it is written: Fastify pipes the stream to the client.
      return reply.send(stream as unknown as string);
    },
  );
};

/** One event as the stream sends it: typed by ServerSentEventSchema, the stream's schema in the OpenAPI document. */
function serverSentEvent(event: ServerSentEvent): Buffer {
  return Buffer.from(framedEvent(event));
}

export default events;
