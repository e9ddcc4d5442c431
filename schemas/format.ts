import { z } from 'zod';

/** `?format=` on routes that have an HTML form. */
export const FormatQuerySchema = z
  .enum(['json', 'html'])
  .optional()
  .describe('json (default) or html: the rendered HTML fragment. Accept: text/html does the same.');

export type Format = z.infer<typeof FormatQuerySchema>;
