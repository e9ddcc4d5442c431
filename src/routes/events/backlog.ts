import type { Duplex } from 'node:stream';

/**
 * Writes `chunk` to a subscriber's stream unless its reader has fallen behind: more than
 * `maxBacklogBytes` already written and not yet taken by the socket. Only what is queued counts,
 * not the chunk itself, so a reader that keeps up gets an event of any size, and a stream holds
 * at most `maxBacklogBytes` plus one event. Returns false when the reader has fallen behind; the
 * caller drops the stream (its EventSource reconnects and starts from the current version).
 */
export function writeUnlessBehind(stream: Duplex, chunk: Buffer | string, maxBacklogBytes: number): boolean {
  if (stream.writableLength + stream.readableLength > maxBacklogBytes) return false;
  stream.write(chunk);
  return true;
}
