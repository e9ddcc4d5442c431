/**
 * Subscribes to /v1/events like EventSource, over fetch so it can send the preview token:
 * reconnects when the stream ends or fails (after the server's `retry`, backing off on errors,
 * honouring Retry-After), and resumes with Last-Event-ID. The events' types come from the
 * service's OpenAPI document (generated/openapi.ts), the schemas the service sends them with.
 */

import type { components } from './generated/openapi.js';

/** `ready`: the version served when the stream (re)opens. */
export type ReadyEvent = components['schemas']['ReadyEvent'];

/**
 * `content`: a new content version, the one before it (never null: the first version loaded is
 * not announced), and the slugs of the pages added, changed or removed (at most 1,000; when more
 * changed, the first of them and `truncated`: refetch everything).
 */
export type ContentEvent = components['schemas']['ContentEvent'];

export interface EventHandlers {
  onReady?(event: ReadyEvent): void;
  onContent?(event: ContentEvent): void;
  /** Any event by name, with its raw data (events this client has no type for yet included). */
  onEvent?(name: string, data: string, id: string): void;
  /** A failed connection; the subscription retries after `delayMs`. */
  onError?(error: unknown, delayMs: number): void;
}

export interface SubscribeOptions extends EventHandlers {
  baseUrl: string;
  previewToken?: string;
  fetch?: typeof fetch;
  /** Resume after this event id (a content version). */
  lastEventId?: string;
  /** First delay after a failure, in ms (default: the server's `retry`, else 1000). */
  minDelayMs?: number;
  /** Longest delay between attempts, in ms (default 30 000). */
  maxDelayMs?: number;
  signal?: AbortSignal;
}

export interface Subscription {
  /** Stops reconnecting and closes the stream. */
  close(): void;
  /** The id of the last event received: a content version. */
  readonly lastEventId: string;
  /** Resolves once the subscription is closed. */
  readonly closed: Promise<void>;
}

interface ServerSentEvent {
  name: string;
  data: string;
  id: string;
}

/** Parses an event stream as the HTML standard says (fields, multi-line data, comments, retry). */
export class EventStreamParser {
  private buffer = '';
  private name = '';
  private data: string[] = [];
  lastEventId = '';
  retryMs: number | undefined;

  constructor(lastEventId = '') {
    this.lastEventId = lastEventId;
  }

  /** Feeds a chunk of text; returns the events it completes. */
  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];
    let end: number;
    while ((end = this.buffer.search(/\r\n|\r|\n/)) !== -1) {
      const newline = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      // A lone \r at the end of a chunk may be the first half of \r\n: wait for the next one.
      if (this.buffer[end] === '\r' && newline === 1 && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + newline);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      const event = this.data.length ? { name: this.name || 'message', data: this.data.join('\n'), id: this.lastEventId } : undefined;
      this.name = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.name = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }
}

/** Opens /v1/events and keeps it open until `close()` or the signal aborts. */
export function subscribe(options: SubscribeOptions): Subscription {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const parser = new EventStreamParser(options.lastEventId);
  const url = new URL('/v1/events', options.baseUrl);

  const dispatch = ({ name, data, id }: ServerSentEvent) => {
    options.onEvent?.(name, data, id);
    if (name === 'ready') options.onReady?.(JSON.parse(data) as ReadyEvent);
    else if (name === 'content') options.onContent?.(JSON.parse(data) as ContentEvent);
  };

  const connect = async (): Promise<void> => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.previewToken) headers.authorization = `Bearer ${options.previewToken}`;
    if (parser.lastEventId) headers['last-event-id'] = parser.lastEventId;
    const response = await doFetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    if (!response.ok || !response.body) {
      const retryAfter = Number(response.headers.get('retry-after'));
      await response.body?.cancel();
      throw Object.assign(new Error(`GET /v1/events answered ${response.status}`), {
        retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : undefined,
      });
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parser.push(value)) dispatch(event);
    }
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      controller.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });

  const closed = (async () => {
    let failures = 0;
    while (!controller.signal.aborted) {
      try {
        await connect();
        failures = 0;
        // The server closed the stream (a restart, a shutdown): reconnect after its `retry`.
        await wait(parser.retryMs ?? options.minDelayMs ?? 1000);
      } catch (error) {
        if (controller.signal.aborted) break;
        const base = options.minDelayMs ?? parser.retryMs ?? 1000;
        const backoff = Math.min(maxDelayMs, base * 2 ** failures) * (0.5 + Math.random() / 2);
        const delayMs = Math.round(Math.max(backoff, (error as { retryAfterMs?: number }).retryAfterMs ?? 0));
        failures += 1;
        options.onError?.(error, delayMs);
        await wait(delayMs);
      }
    }
  })();

  return {
    close: () => controller.abort(),
    get lastEventId() {
      return parser.lastEventId;
    },
    closed,
  };
}
