import { z } from 'zod';

/** Public settings of the site (a Jekyll site's _config.yml, secrets and build settings left out). */
export const SiteSchema = z
  .object({
    title: z.string().nullable(),
    description: z.string().nullable(),
    url: z.string().nullable().describe('Base URL of the published site.'),
    baseurl: z.string().nullable().describe('Subpath the site is served under, "" at the root.'),
    settings: z.record(z.string(), z.unknown()).describe('Every public setting: author, social links, footer, locale...'),
  })
  .meta({
    id: 'Site',
    example: {
      title: 'pyOpenSci',
      description: "pyOpenSci's Website",
      url: 'https://www.pyopensci.org',
      baseurl: '',
      settings: { title: 'pyOpenSci', locale: 'en-US', author: { name: 'pyOpenSci' } },
    },
  });

export type Site = z.infer<typeof SiteSchema>;
