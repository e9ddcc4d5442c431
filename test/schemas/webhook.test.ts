import { describe, expect, it } from 'vitest';
import { MAX_CHANGED_SLUGS } from '../../schemas/changed-slugs.ts';
import { WebhookPayloadSchema } from '../../schemas/webhook.ts';

const slugs = (count: number) => Array.from({ length: count }, (_, i) => `page-${String(i).padStart(5, '0')}`);
const payload = (changed: string[], extra: object = {}) => ({
  type: 'content.updated',
  version: 'v2',
  previous_version: 'v1',
  changed,
  timestamp: '2026-11-25T12:00:00.000Z',
  ...extra,
});

describe('WebhookPayloadSchema', () => {
  it('accepts MAX_CHANGED_SLUGS slugs, and more only cut to that many with truncated: true', () => {
    expect(WebhookPayloadSchema.safeParse(payload(slugs(MAX_CHANGED_SLUGS))).success).toBe(true);
    expect(WebhookPayloadSchema.safeParse(payload(slugs(MAX_CHANGED_SLUGS), { truncated: true })).success).toBe(true);
    expect(WebhookPayloadSchema.safeParse(payload(slugs(MAX_CHANGED_SLUGS + 1))).success).toBe(false);
  });

  it('has truncated true or absent, never false', () => {
    expect(WebhookPayloadSchema.safeParse(payload(['resources'], { truncated: false })).success).toBe(false);
  });
});
