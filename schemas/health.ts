import { z } from 'zod';
import { WebhookStatusSchema } from './webhook.ts';

const ProblemStateSchema = z
  .object({
    detail: z.string().describe('Why the content folder could not be loaded (no paths of the machine).'),
    since: z.string().describe('When loads started failing (ISO 8601).'),
  })
  .describe('Present while loads fail: the last good version is still served.');

export const HealthSchema = z
  .object({
    status: z
      .enum(['ok', 'starting', 'degraded'])
      .describe(
        '`starting` until the first content version is served; `degraded` while the content folder cannot be read (the last good version is still served).',
      ),
    version: z
      .string()
      .describe(
        'Public content version: a hash of everything published; changes when published content changes (never for a draft-only edit). Empty while starting.',
      ),
    loaded_at: z.iso.datetime().nullable().describe('When this content version was built (ISO 8601, UTC); null while starting.'),
    pages: z.number().int().min(0).describe('Published pages served.'),
    errors: z.number().int().min(0).describe('Content errors outside drafts (most leave their page out).'),
    warnings: z.number().int().min(0),
    problem: ProblemStateSchema.optional(),
    webhooks: WebhookStatusSchema.optional().describe('Webhook deliveries since the process started; present when WEBHOOK_URLS is set.'),
  })
  .meta({
    id: 'Health',
    description: 'The process is alive (always 200); which content version it serves and how healthy that content is.',
    example: { status: 'ok', version: '3f2a9c1e', loaded_at: '2026-11-25T12:00:00.000Z', pages: 5, errors: 0, warnings: 0 },
  });

export const ReadinessSchema = z
  .object({
    status: z
      .enum(['ready', 'degraded'])
      .describe('`degraded` while the content folder cannot be read: the last good version is still served.'),
    version: z.string().describe('Public content version being served.'),
    problem: ProblemStateSchema.optional(),
  })
  .meta({ id: 'Readiness', description: 'Content is being served: send traffic here.', example: { status: 'ready', version: '3f2a9c1e' } });

export type Health = z.infer<typeof HealthSchema>;
