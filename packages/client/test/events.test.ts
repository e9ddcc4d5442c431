import { describe, expect, it } from 'vitest';
import { EventStreamParser } from '../src/events.ts';

describe('EventStreamParser', () => {
  it('reads named events with ids, across chunks and line endings, skipping comments', () => {
    const parser = new EventStreamParser();
    const text =
      'retry: 2000\n\nevent: ready\nid: v1\ndata: {"version":"v1"}\n\n: heartbeat\n\r\nevent: content\r\nid: v2\r\ndata: {"a":\r\ndata: 1}\r\n\r\n';
    const events = [...text].flatMap((character) => parser.push(character));
    expect(events).toEqual([
      { name: 'ready', data: '{"version":"v1"}', id: 'v1' },
      { name: 'content', data: '{"a":\n1}', id: 'v2' },
    ]);
    expect(parser.retryMs).toBe(2000);
    expect(parser.lastEventId).toBe('v2');
  });

  it('names an event without an event field "message" and keeps the last id', () => {
    const parser = new EventStreamParser('v0');
    expect(parser.push('data: x\n\n')).toEqual([{ name: 'message', data: 'x', id: 'v0' }]);
  });
});
