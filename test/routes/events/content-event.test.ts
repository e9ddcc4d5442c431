import { describe, expect, it } from 'vitest';
import { MAX_CHANGED_SLUGS } from '../../../schemas/changed-slugs.ts';
import { ContentEventSchema } from '../../../schemas/events.ts';
import { contentEvent } from '../../../src/routes/events/content-event.ts';

const slugs = (count: number) => Array.from({ length: count }, (_, i) => `page-${String(i).padStart(5, '0')}`);

describe('contentEvent', () => {
  it('names every changed slug, with no truncated field, up to the cap', () => {
    const changed = slugs(MAX_CHANGED_SLUGS);
    const event = contentEvent('v2', 'v1', changed);
    expect(event).toEqual({ version: 'v2', previous_version: 'v1', changed });
    expect(Object.keys(event)).not.toContain('truncated');
    expect(ContentEventSchema.parse(event)).toEqual(event);
  });

  it('names the first MAX_CHANGED_SLUGS slugs and says truncated when more changed', () => {
    const changed = slugs(MAX_CHANGED_SLUGS * 3);
    const event = contentEvent('v2', 'v1', changed);
    expect(event).toEqual({ version: 'v2', previous_version: 'v1', changed: changed.slice(0, MAX_CHANGED_SLUGS), truncated: true });
    expect(ContentEventSchema.parse(event)).toEqual(event);
  });

  it('is refused by the schema when it names more than MAX_CHANGED_SLUGS slugs', () => {
    expect(ContentEventSchema.safeParse({ version: 'v2', previous_version: 'v1', changed: slugs(MAX_CHANGED_SLUGS + 1) }).success).toBe(
      false,
    );
  });
});
