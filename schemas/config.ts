import { z } from 'zod';

/** Service configuration, read from the environment and validated at boot. */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CONTENT_DIR: z.string().min(1).default('content'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds shared caches and browsers may reuse a content response. */
  CACHE_MAX_AGE: z.coerce.number().int().min(0).default(60),
  /** Seconds a CDN may serve a stale response while it revalidates in the background. */
  CACHE_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).default(300),
  /** Comma-separated origins allowed by CORS, or * for any (GET and HEAD only). */
  CORS_ORIGINS: z.string().default('*'),
});

export type Config = z.infer<typeof ConfigSchema>;
