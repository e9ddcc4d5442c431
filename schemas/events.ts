import { z } from 'zod';
import { MAX_CHANGED_SLUGS, changedSlugsFields } from './changed-slugs.ts';

/** The data of a `content` event on /v1/events: a new content version is being served. */
export const ContentEventSchema = z
  .object({
    version: z
      .string()
      .describe('The content version now served (also the event id); with a preview token, the preview version, drafts included.'),
    previous_version: z.string().describe('The version served before.'),
    ...changedSlugsFields('Slugs of pages added, changed or removed; drafts only for preview subscribers.'),
  })
  .meta({
    id: 'ContentEvent',
    example: { version: '9c1e5b7d4a603f2a', previous_version: '3f2a9c1e5b7d4a60', changed: ['resources'] },
  });

/** The data of the `ready` event each stream opens with: the version served when it connected. */
export const ReadyEventSchema = z
  .object({ version: z.string().describe('The content version served when the stream opened.') })
  .meta({ id: 'ReadyEvent', example: { version: '3f2a9c1e5b7d4a60' } });

/** GET /v1/events as OpenAPI sees it: a text/event-stream that stays open. */
export const EventStreamSchema = z.string().meta({
  id: 'EventStream',
  description:
    'Server-Sent Events. The stream opens with `retry: 2000` and a `ready` event (data: {"version"}); then each new content ' +
    'version is an event named `content` whose id is the version and whose data is JSON {"version", "previous_version", ' +
    `"changed"} (changed: slugs of pages added, changed or removed, at most ${MAX_CHANGED_SLUGS.toLocaleString('en')}; when more ` +
    'changed, the data also has "truncated": true, and a client should refetch everything rather than the slugs named). ' +
    'A comment line (`: heartbeat`) is sent every 15 s to keep proxies from closing the stream.',
  example:
    'retry: 2000\n\nevent: ready\nid: 3f2a9c1e5b7d4a60\ndata: {"version":"3f2a9c1e5b7d4a60"}\n\n' +
    'event: content\nid: 9c1e5b7d4a603f2a\ndata: {"version":"9c1e5b7d4a603f2a","previous_version":"3f2a9c1e5b7d4a60","changed":["resources"]}\n\n',
});

export type ContentEvent = z.infer<typeof ContentEventSchema>;
export type ReadyEvent = z.infer<typeof ReadyEventSchema>;
