import { z } from 'zod';

export const AuthorLinkSchema = z.object({
  label: z.string(),
  url: z.string(),
  icon: z.string().nullable().describe('Icon class names from the data file (e.g. Font Awesome), when given.'),
});

/** A page's author, resolved from the site's `_data/authors.yml` (Minimal Mistakes' layout). */
export const AuthorSchema = z
  .object({
    key: z.string().describe('The `author` front matter value: the key in `_data/authors.yml`.'),
    name: z.string(),
    bio: z.string().nullable(),
    avatar: z
      .string()
      .nullable()
      .describe('Avatar image URL: served under /v1/assets/ when the image is in the content folder, else as written.'),
    links: z.array(AuthorLinkSchema),
    resolved: z.boolean().describe('Whether `_data/authors.yml` has this author (false: only the name is known).'),
  })
  .meta({
    id: 'Author',
    example: {
      key: 'Leah Wasser',
      name: 'Leah Wasser',
      bio: 'Executive Director & Founder, pyOpenSci',
      avatar: '/v1/assets/images/people/leah-wasser-pyopensci-leadership.jpg',
      links: [{ label: 'GitHub', url: 'https://github.com/lwasser', icon: 'fab fa-fw fa-github' }],
      resolved: true,
    },
  });

export type Author = z.infer<typeof AuthorSchema>;
