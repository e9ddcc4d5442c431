import { z } from 'zod';

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string().describe('Public content version: a hash of everything published; changes when published content changes (never for a draft-only edit).'),
    loaded_at: z.string().describe('When this content version was built (ISO 8601).'),
    pages: z.number().int().min(0).describe('Published pages served.'),
    errors: z.number().int().min(0).describe('Content errors outside drafts (most leave their page out).'),
    warnings: z.number().int().min(0),
  })
  .meta({ id: 'Health', description: 'The service is up; which content version it serves and how healthy that content is.', example: { status: 'ok', version: '3f2a9c1e', loaded_at: '2026-11-25T12:00:00.000Z', pages: 5, errors: 0, warnings: 0 } });

export type Health = z.infer<typeof HealthSchema>;
