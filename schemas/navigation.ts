import { z } from 'zod';

/** A call-to-action link from a page's header.actions, resolved against the site. */
export const NavActionSchema = z
  .object({
    label: z.string(),
    url: z.string().describe('The URL as written, or the target permalink when it is internal.'),
    internal: z.boolean().describe('Whether the URL points into this site.'),
    slug: z.string().nullable().describe('Slug of the page the URL resolves to, when internal and found.'),
    page: z.string().describe('Slug of the page whose header declares the action.'),
  })
  .meta({
    id: 'NavAction',
    example: { label: 'Resources', url: '/resources/', internal: true, slug: 'resources', page: 'index' },
  });

export const NavigationSchema = z
  .object({ items: z.array(NavActionSchema), total: z.number().int().min(0) })
  .meta({
    id: 'Navigation',
    description: 'The header actions of every published page, in page order.',
    example: { items: [{ label: 'Resources', url: '/resources/', internal: true, slug: 'resources', page: 'index' }], total: 1 },
  });

export type NavAction = z.infer<typeof NavActionSchema>;
export type Navigation = z.infer<typeof NavigationSchema>;
