import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeUnlessBehind } from '../../../src/routes/events/backlog.ts';

const LIMIT = 64 * 1024;

/** A stream nobody reads: a subscriber whose socket takes nothing, the slowest reader there is. */
const unread = () => new PassThrough();

describe('writeUnlessBehind', () => {
  it('queues an event bigger than the limit on a stream with nothing waiting', () => {
    const stream = unread();
    const event = Buffer.alloc(LIMIT * 2, 'x');
    expect(writeUnlessBehind(stream, event, LIMIT)).toBe(true);
    expect(stream.read()).toEqual(event);
  });

  it('refuses the next write once more than the limit waits for the reader', () => {
    const stream = unread();
    expect(writeUnlessBehind(stream, Buffer.alloc(LIMIT + 1, 'x'), LIMIT)).toBe(true);
    expect(writeUnlessBehind(stream, ': heartbeat\n\n', LIMIT)).toBe(false);
  });

  it('lets small events pile up to the limit, then refuses them: a slow reader holds at most the limit and one event', () => {
    const stream = unread();
    const event = Buffer.alloc(1000, 'x');
    let written = 0;
    while (writeUnlessBehind(stream, event, LIMIT)) written += 1;
    expect(written * event.length).toBeGreaterThan(LIMIT / 2);
    expect(written * event.length).toBeLessThanOrEqual(LIMIT + event.length);
  });

  it('queues again once the reader has caught up', () => {
    const stream = unread();
    writeUnlessBehind(stream, Buffer.alloc(LIMIT + 1, 'x'), LIMIT);
    expect(writeUnlessBehind(stream, 'x', LIMIT)).toBe(false);
    stream.read();
    expect(writeUnlessBehind(stream, 'x', LIMIT)).toBe(true);
  });
});
