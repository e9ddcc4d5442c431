import { z } from 'zod';

/** What a value is, for messages: "number 123", "a list". */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const text = (field: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be text (got ${describeValue(issue.input)})`),
  });

/**
 * One link of `_data/navigation.yml` as authors write it (the minimal-mistakes theme's shape):
 * `title`, `url`, and nested links under `sub-nav` (or `children`, the theme's sidebar key).
 * Other keys are allowed and ignored. Nested links are validated one by one, so one bad link is
 * left out alone.
 */
export const MenuEntrySourceSchema = z.looseObject({
  title: text('title'),
  url: text('url').nullish(),
  icon: text('icon').nullish(),
  description: text('description').nullish(),
  // Jekyll reads YAML 1.1, where yes/no and on/off are booleans too.
  is_button: z.preprocess(
    (value) => (typeof value === 'string' && /^(?:y|yes|on|n|no|off)$/i.test(value) ? /^(?:y|yes|on)$/i.test(value) : value),
    z.boolean({ error: (issue) => `is_button must be true or false (got ${describeValue(issue.input)})` }).nullish(),
  ),
  'sub-nav': z.array(z.unknown(), { error: (issue) => `sub-nav must be a list of links (got ${describeValue(issue.input)})` }).nullish(),
  children: z.array(z.unknown(), { error: (issue) => `children must be a list of links (got ${describeValue(issue.input)})` }).nullish(),
});

/** `_data/navigation.yml`: menu names (main, footer, docs…) to their lists of links. */
export const NavigationFileSchema = z.record(
  z.string(),
  z.array(z.unknown(), { error: (issue) => `a menu must be a list of links (got ${describeValue(issue.input)})` }).nullable(),
  { error: (issue) => `the file must map menu names to lists of links (got ${describeValue(issue.input)})` },
);

export type MenuEntrySource = z.infer<typeof MenuEntrySourceSchema>;

export interface MenuItem {
  title: string;
  url: string | null;
  internal: boolean;
  slug: string | null;
  icon: string | null;
  description: string | null;
  button: boolean;
  children: MenuItem[];
}

const menuItemExample: MenuItem = {
  title: 'Peer Review',
  url: null,
  internal: false,
  slug: null,
  icon: null,
  description: null,
  button: false,
  children: [
    {
      title: 'Community partners',
      url: '/partners.html',
      internal: true,
      slug: 'partners',
      icon: null,
      description: null,
      button: false,
      children: [],
    },
  ],
};

/** A link of a site menu, resolved against the site's pages. */
export const MenuItemSchema: z.ZodType<MenuItem> = z
  .object({
    title: z.string(),
    url: z
      .string()
      .nullable()
      .describe(
        'The target permalink when the link points at a page of the site, the URL as written otherwise; null for a heading of sub-links.',
      ),
    internal: z.boolean().describe('Whether the URL points into this site.'),
    slug: z.string().nullable().describe('Slug of the page the link resolves to, when internal and found.'),
    icon: z.string().nullable().describe('Icon class names, as written (Font Awesome).'),
    description: z.string().nullable(),
    button: z.boolean().describe('Whether the theme shows the link as a button (`is_button`).'),
    get children() {
      return z.array(MenuItemSchema).describe('Sub-links (`sub-nav` or `children`), in order.');
    },
  })
  .meta({ id: 'MenuItem', example: menuItemExample });

export const MenuSchema = z
  .object({
    name: z.string().describe('The key of the menu in _data/navigation.yml: main, footer, docs…'),
    items: z.array(MenuItemSchema),
  })
  .meta({ id: 'Menu', example: { name: 'main', items: [menuItemExample] } });

export const MenuListSchema = z.object({ items: z.array(MenuSchema), total: z.number().int().min(0) }).meta({
  id: 'MenuList',
  description:
    "The site's menus from _data/navigation.yml, in file order, with links resolved to pages. Empty when the site has no such file.",
  example: { items: [{ name: 'main', items: [menuItemExample] }], total: 1 },
});

export type Menu = z.infer<typeof MenuSchema>;
export type MenuList = z.infer<typeof MenuListSchema>;
