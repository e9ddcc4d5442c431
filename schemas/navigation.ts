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

export const NavigationSchema = z.object({ items: z.array(NavActionSchema), total: z.number().int().min(0) }).meta({
  id: 'Navigation',
  description: 'The header actions of every published page, in page order.',
  example: { items: [{ label: 'Resources', url: '/resources/', internal: true, slug: 'resources', page: 'index' }], total: 1 },
});

export type NavAction = z.infer<typeof NavActionSchema>;
export type Navigation = z.infer<typeof NavigationSchema>;

/** A page as a link: what breadcrumbs and previous/next point at. */
export const PageLinkSchema = z
  .object({
    slug: z.string(),
    title: z.string(),
    permalink: z.string(),
  })
  .meta({ id: 'PageLink', example: { slug: 'python-packages', title: 'Python Packages', permalink: '/python-packages.html' } });

/** One step of a breadcrumb trail. */
export const BreadcrumbSchema = z
  .object({
    title: z.string(),
    url: z.string().describe('Path of the step on the site.'),
    slug: z.string().nullable().describe('Slug of the page at that path; null for the site root when no page is served there.'),
  })
  .meta({ id: 'Breadcrumb', example: { title: 'Home', url: '/', slug: 'index' } });

export const PageNavigationSchema = z
  .object({
    page: z.string().describe('Slug of the page.'),
    breadcrumbs: z
      .array(BreadcrumbSchema)
      .describe('From the site root to the page itself: Home, each parent path a page is served at, then the page.'),
    previous: PageLinkSchema.nullable().describe(
      'The page before this one: the older document of its collection (by date), or the previous page in the same folder (by permalink).',
    ),
    next: PageLinkSchema.nullable().describe(
      'The page after this one: the newer document of its collection, or the next page in the same folder.',
    ),
  })
  .meta({
    id: 'PageNavigation',
    description: 'Where a page sits on the site: its breadcrumb trail and its previous and next pages.',
    example: {
      page: 'python-packages',
      breadcrumbs: [
        { title: 'Home', url: '/', slug: 'index' },
        { title: 'Python Packages', url: '/python-packages.html', slug: 'python-packages' },
      ],
      previous: { slug: 'peer-review', title: 'Peer Review', permalink: '/peer-review/' },
      next: { slug: 'resources', title: 'Resources', permalink: '/resources/' },
    },
  });

export interface TocNode {
  id: string;
  title: string;
  level: number;
  children: TocNode[];
}

/** A heading of a page with the headings under it. */
export const TocNodeSchema: z.ZodType<TocNode> = z
  .object({
    id: z.string().describe('Anchor of the heading: link to it as permalink#id.'),
    title: z.string(),
    level: z.number().int().min(1).max(6),
    get children() {
      return z.array(TocNodeSchema).describe('Headings under this one, in document order.');
    },
  })
  .meta({ id: 'TocNode', example: { id: 'editors', title: 'Editors', level: 2, children: [] } });

export const TableOfContentsSchema = z
  .object({
    page: z.string().describe('Slug of the page.'),
    enabled: z
      .boolean()
      .describe('Whether the page asks for a table of contents (`toc: true` in its front matter). When false, `items` is empty.'),
    label: z.string().describe('Its heading: `toc_label` from the front matter, else "On this page".'),
    icon: z.string().nullable().describe('`toc_icon` from the front matter (a Font Awesome name).'),
    sticky: z.boolean().describe('`toc_sticky` from the front matter: keep it in view while scrolling.'),
    depth: z.number().int().min(1).max(6).describe("Heading levels included, counted from the page's top heading level."),
    items: z.array(TocNodeSchema).describe('The headings as a tree.'),
  })
  .meta({
    id: 'TableOfContents',
    description:
      "A page's table of contents as its front matter asks for it (`toc`, `toc_label`, `toc_icon`, `toc_sticky`), down to `depth` levels.",
    example: {
      page: 'contributors',
      enabled: true,
      label: 'On this page',
      icon: null,
      sticky: false,
      depth: 6,
      items: [
        { id: 'editors', title: 'Editors', level: 2, children: [] },
        { id: 'reviewers', title: 'Reviewers', level: 2, children: [] },
      ],
    },
  });

export type PageLink = z.infer<typeof PageLinkSchema>;
export type Breadcrumb = z.infer<typeof BreadcrumbSchema>;
export type PageNavigation = z.infer<typeof PageNavigationSchema>;
export type TableOfContents = z.infer<typeof TableOfContentsSchema>;
