import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import { answerFor } from './representation.ts';
import type { Representation } from '../model/representation.ts';

/** What an entry costs besides its key and body: its header objects and the cache's own bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 2048;
/** URLs longer than this are answered by the router every time: no one request may pin kilobytes of key. */
const MAX_KEY_URL_LENGTH = 1024;
/** Accept-Encoding values longer than this get their answer negotiated each time, not kept ready. */
const MAX_READY_ACCEPT_LENGTH = 256;

/**
 * URLs routed once and not remembered: an answer is remembered on its URL's second routed request,
 * not its first. In a flood of URLs asked once each (distinct search queries, a crawl, an attack),
 * remembering cost a copy of the headers, an eviction and their garbage a request (distinct
 * searches answered: 5,200-5,800 a second remembering each, 6,000-7,600 now), and pushed out the
 * entries asked for again and again. Kept as 30-bit hashes of the keys (a collision only
 * remembers an answer one request early), and forgotten all at once when full.
 */
const SEEN_ONCE_MAX = 65_536;

/** Headers the edge sets itself for each answer (or Node does). */
const PER_ANSWER = new Set(['content-length', 'content-encoding', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/** A 200 ready to send: its complete headers and its body. */
interface ReadyAnswer {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Accept-Encoding values whose answers an entry keeps ready (browsers send a handful of values). */
const READY_PER_ENTRY = 4;

interface EdgeEntry {
  key: string;
  representation: Representation;
  /** The headers the routed response carried (CORS, caching, type), replayed as they were. */
  headers: OutgoingHttpHeaders;
  /** The complete headers of the plain 200, built once: the common case costs one lookup. */
  plain: OutgoingHttpHeaders;
  /** The plain body, once asked for: counted in the entry's size from the start (the representation's size). */
  body?: Buffer;
  /** The headers of a 304: those of the 200 without the body's type (as the routes send it). */
  notModified: OutgoingHttpHeaders;
  /**
   * The 200 each Accept-Encoding value seen gets (at most READY_PER_ENTRY values), by the
   * header's text: a compressed answer then costs one lookup, as a plain one does, instead of a
   * negotiation and a look in the body store.
   */
  ready: Map<string, ReadyAnswer>;
  /** Bytes of compressed bodies `ready` holds, counted in the entry's size. */
  readyBytes: number;
}

/**
 * A response cache in front of the router, for public content responses only: the first request
 * for a URL goes through Fastify (validation, negotiation, CORS, the route), and its
 * representation and headers are remembered; identical requests (same URL, Accept and Origin)
 * are then answered straight from memory, with the same 304 and encoding rules, without
 * routing or hooks. It is cleared whenever the content changes, holds nothing for a request
 * with an Authorization header (preview) and nothing but a 200 or a 304, so what it answers is
 * exactly what the routes would. This is what keeps page lookups close to bare node:http speed.
 *
 * It holds at most `maxBytes` (keys, headers and bodies, counted as if no two entries shared a
 * body), evicting the least recently used entries. A URL's answer is remembered when it is routed
 * the second time (see SEEN_ONCE_MAX), so a flood of URLs asked once leaves the cache as it was.
 */
export interface EdgeCache {
  /** Answers the request if it can; false lets Fastify route it. */
  serve(request: IncomingMessage, response: ServerResponse): boolean;
  /** Counts clears: a response routed before a content change must not be remembered after it. */
  readonly generation: number;
  /** Remembers a routed response (called once it has been sent) if no clear happened since `generation`. */
  remember(request: FastifyRequest, reply: FastifyReply, representation: Representation, generation: number): void;
  /** Forgets everything (the content changed). */
  clear(): void;
}

export function createEdgeCache(options: { maxBytes?: number } = {}): EdgeCache {
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  if (maxBytes <= 0) return { serve: () => false, generation: 0, remember: () => undefined, clear: () => undefined };
  const entries = new LRUCache<string, EdgeEntry>({
    maxSize: maxBytes,
    sizeCalculation: (entry, key) => key.length * 2 + ENTRY_OVERHEAD_BYTES + entry.representation.size + entry.readyBytes,
  });
  /**
   * `answer`, the 200 negotiation gave a request for `entry`, kept ready for requests with the
   * same Accept-Encoding text, if the entry has room for another: an answer depends only on the
   * representation and that text. A compressed body's bytes are then counted in the entry's size
   * (set again, which may evict others); the plain body is counted from the start.
   */
  const keepReady = (entry: EdgeEntry, accepted: string | undefined, answer: ReadyAnswer): ReadyAnswer => {
    if (accepted === undefined || accepted.length > MAX_READY_ACCEPT_LENGTH || entry.ready.size >= READY_PER_ENTRY) return answer;
    // Only while the entry is still the one cached: one evicted or cleared meanwhile is left alone.
    if (entries.peek(entry.key) !== entry) return answer;
    const counted = answer.headers === entry.plain || [...entry.ready.values()].some((ready) => ready.body === answer.body);
    entry.ready.set(accepted, answer);
    // Set again as a new object (the same one keeps its old size), sharing `ready`.
    if (!counted) entries.set(entry.key, { ...entry, readyBytes: entry.readyBytes + answer.body.length });
    return answer;
  };
  let generation = 0;
  const seenOnce = new Set<number>();
  /** Whether this key was routed once before (and is now remembered), else notes that it was. */
  const askedAgain = (key: string) => {
    const seen = hashOf(key);
    if (seenOnce.delete(seen)) return true;
    if (seenOnce.size >= SEEN_ONCE_MAX) seenOnce.clear();
    seenOnce.add(seen);
    return false;
  };
  // No response depends on the Host header (absolute URLs come from SITE_URL), so it is not part of the key.
  const keyOf = (url: string | undefined, headers: IncomingMessage['headers']) =>
    `${url}\n${headers.accept ?? ''}\n${headers.origin ?? ''}`;

  return {
    serve(request, response) {
      const { method, headers } = request;
      if ((method !== 'GET' && method !== 'HEAD') || headers.authorization !== undefined) return false;
      const entry = entries.get(keyOf(request.url, headers));
      if (!entry) return false;
      const bodyless = method === 'HEAD';
      if (headers['if-none-match'] === undefined && headers['if-modified-since'] === undefined) {
        const accepted = headers['accept-encoding'];
        if (accepted === undefined) {
          response.writeHead(200, entry.plain);
          // Only here: a precompressed page may hold no plain body, and br, gzip and 304 need none.
          response.end(bodyless ? undefined : (entry.body ??= entry.representation.body));
          return true;
        }
        const ready = entry.ready.get(accepted);
        if (ready) {
          response.writeHead(200, ready.headers);
          response.end(bodyless ? undefined : ready.body);
          return true;
        }
      }
      const answer = answerFor(headers, entry.representation);
      if (answer.status === 304) {
        response.writeHead(304, entry.notModified);
        response.end();
      } else if ('pending' in answer) {
        // A variant read back from the disk: answered once read (the body as it is if it cannot be).
        const accepted = headers['accept-encoding'];
        answer.pending.then(
          (bytes) =>
            sendAnswer(
              response,
              bodyless,
              bytes ? keepReady(entry, accepted, encodedAnswer(entry, bytes, answer.encoding)) : plainAnswer(entry),
            ),
          () => sendAnswer(response, bodyless, plainAnswer(entry)),
        );
      } else {
        const ready = answer.encoding ? encodedAnswer(entry, answer.body, answer.encoding) : plainAnswer(entry);
        sendAnswer(response, bodyless, keepReady(entry, headers['accept-encoding'], ready));
      }
      return true;
    },
    get generation() {
      return generation;
    },
    remember(request, reply, representation, since) {
      if (since !== generation || request.headers.authorization !== undefined || request.preview) return;
      if (reply.statusCode !== 200 && reply.statusCode !== 304) return;
      if ((request.raw.url?.length ?? 0) > MAX_KEY_URL_LENGTH) return;
      const key = keyOf(request.raw.url, request.headers);
      if (!askedAgain(key)) return;
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined && !PER_ANSWER.has(name)) headers[name] = value;
      // A 304 (a CDN revalidating) has every header of its 200 but the body's type.
      headers['content-type'] ??= representation.contentType;
      const { 'content-type': _type, ...notModified } = headers;
      entries.set(key, {
        key,
        representation,
        headers,
        plain: { ...headers, 'content-length': representation.size },
        notModified,
        ready: new Map(),
        readyBytes: 0,
      });
    },
    clear() {
      generation += 1;
      entries.clear();
    },
  };
}

/**
 * FNV-1a over the key's UTF-16 code units, cut to 30 bits: V8 keeps such a number in the Set as it
 * is, not as a heap object (see SEEN_ONCE_MAX for why a collision does no harm).
 */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  return hash & 0x3fffffff;
}

/** The 200 of an entry in `encoding`. */
function encodedAnswer(entry: EdgeEntry, body: Buffer, encoding: 'br' | 'gzip'): ReadyAnswer {
  return { headers: { ...entry.headers, 'content-length': body.length, 'content-encoding': encoding }, body };
}

/** The plain 200 of an entry (the body kept once asked for). */
function plainAnswer(entry: EdgeEntry): ReadyAnswer {
  return { headers: entry.plain, body: (entry.body ??= entry.representation.body) };
}

function sendAnswer(response: ServerResponse, bodyless: boolean, answer: ReadyAnswer): void {
  response.writeHead(200, answer.headers);
  response.end(bodyless ? undefined : answer.body);
}
