import { describe, expect, it } from 'vitest';
import { JSON_CONTENT_TYPE, represent, representInSteps } from '../../src/http/representation.ts';

function run<T>(steps: Generator<void, T>): { value: T; pauses: number } {
  let pauses = 0;
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return { value: step.value, pauses };
    pauses += 1;
  }
}

describe('representInSteps', () => {
  const modified = new Date('2026-01-02T03:04:05Z');

  it('makes the representation `represent` makes of the whole body, pausing along a large one', () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => `{"n":${i},"text":"${'é'.repeat(i % 200)}"},`);
    const { value, pauses } = run(representInSteps(pieces, JSON_CONTENT_TYPE, modified));
    const whole = represent(pieces.join(''), JSON_CONTENT_TYPE, modified);
    expect(value.etag).toBe(whole.etag);
    expect(value.body.equals(whole.body)).toBe(true);
    expect(value.size).toBe(whole.size);
    expect(pauses).toBeGreaterThanOrEqual(5000 / 64 - 1);
  });

  it('writes a small body at once', () => {
    const { value, pauses } = run(representInSteps(['{"a":', '1}'], JSON_CONTENT_TYPE, modified));
    expect(pauses).toBe(0);
    expect(value.body.toString()).toBe('{"a":1}');
  });
});
