import { z } from 'zod';

/** `?format=` on routes that have an HTML form. */
export const FormatQuerySchema = z
  .enum(['json', 'html'])
  .optional()
  .describe('json (default) or html: the rendered HTML fragment. Accept: text/html does the same.');

/** What a route with an HTML form sends for `Accept: text/html` or `?format=html`. */
export const HtmlFragmentSchema = z.string().meta({
  id: 'HtmlFragment',
  description: 'A sanitized HTML fragment (no <html> or <body>): the rendered markdown, ready to insert into a page.',
  example: '<h2 id="about-pyopensci">About pyOpenSci</h2>\n<p>pyOpenSci promotes open and reproducible research…</p>',
});

export type Format = z.infer<typeof FormatQuerySchema>;
