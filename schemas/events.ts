import { z } from 'zod';
import { changedSlugsFields } from './changed-slugs.ts';

/** The data of a `content` event on /v1/events: a new content version is being served. */
export const ContentEventSchema = z
  .object({
    version: z
      .string()
      .describe('The content version now served (also the event id); with a preview token, the preview version, drafts included.'),
    // Never null: the first version loaded is not announced (a stream opens with `ready` instead),
    // so every `content` event follows a version that was served.
    previous_version: z
      .string()
      .describe('The version served before: the `version` of the `ready` event or of the last `content` event. Never null.'),
    ...changedSlugsFields('Slugs of pages added, changed or removed; drafts only for preview subscribers.'),
  })
  .meta({
    id: 'ContentEvent',
    description: 'The data (JSON) of a `content` event on /v1/events: a new content version is served.',
    example: { version: '9c1e5b7d4a603f2a', previous_version: '3f2a9c1e5b7d4a60', changed: ['resources'] },
  });

/** The data of the `ready` event each stream opens with: the version served when it connected. */
export const ReadyEventSchema = z.object({ version: z.string().describe('The content version served when the stream opened.') }).meta({
  id: 'ReadyEvent',
  description: 'The data (JSON) of the `ready` event each /v1/events stream opens with.',
  example: { version: '3f2a9c1e5b7d4a60' },
});

/** An event's id: the version in its data, which an EventSource sends back as Last-Event-ID when it reconnects. */
const EventIdSchema = z.string().describe('The `version` of the data: an EventSource sends it back as Last-Event-ID when it reconnects.');

/**
 * One event of /v1/events as an EventSource reads it: its name, its id and its data (JSON,
 * parsed). The route frames each event from this schema's type, and the OpenAPI document says
 * what the stream carries with it, so the two cannot disagree.
 */
export const ServerSentEventSchema = z
  .discriminatedUnion('event', [
    z.object({ event: z.literal('ready'), id: EventIdSchema, data: ReadyEventSchema }),
    z.object({ event: z.literal('content'), id: EventIdSchema, data: ContentEventSchema }),
  ])
  .meta({
    id: 'ServerSentEvent',
    description: 'One event of /v1/events as an EventSource reads it: its name (`event`), its `id`, and its `data` (JSON).',
  });

export type ServerSentEvent = z.infer<typeof ServerSentEventSchema>;

/** One event as the stream frames it (`event:`, `id:`, `data:` lines and a blank line). */
export function framedEvent({ event, id, data }: ServerSentEvent): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

const exampleOf = <T>(schema: z.ZodType<T>) => z.globalRegistry.get(schema)?.example as T;
const readyExample = exampleOf(ReadyEventSchema);
const contentExample = exampleOf(ContentEventSchema);

/**
 * GET /v1/events as OpenAPI 3.1 can say it: a string of media type text/event-stream. JSON
 * Schema's `contentSchema` says what the string holds once decoded: a sequence of
 * ServerSentEvent (a `$ref` to its component, the one schema of the document that names it).
 */
export const EventStreamSchema = z.string().meta({
  id: 'EventStream',
  description:
    'Server-Sent Events. The stream opens with `retry: 2000` and a `ready` event (data: a ReadyEvent); then each new content ' +
    'version is an event named `content` whose id is the version and whose data is a ContentEvent. Decoded, the stream is a ' +
    'sequence of ServerSentEvent (`contentSchema`). A comment line (`: heartbeat`) is sent every 15 s to keep proxies from ' +
    'closing the stream.',
  contentMediaType: 'text/event-stream',
  contentSchema: { type: 'array', items: { $ref: `#/components/schemas/${z.globalRegistry.get(ServerSentEventSchema)?.id}` } },
  example:
    'retry: 2000\n\n' +
    framedEvent({ event: 'ready', id: readyExample.version, data: readyExample }) +
    framedEvent({ event: 'content', id: contentExample.version, data: contentExample }),
});

export type ContentEvent = z.infer<typeof ContentEventSchema>;
export type ReadyEvent = z.infer<typeof ReadyEventSchema>;
