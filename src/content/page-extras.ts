import type { Author } from '../../schemas/author.ts';
import type { PageImage } from '../../schemas/asset.ts';
import type { PageEntry } from './entry.ts';
import type { LinkResolver } from './links.ts';

/** Front-matter keys that hold an image path, read with Jekyll's `relative_url` (from the site root). */
const IMAGE_FIELDS = [['header', 'image'], ['header', 'teaser'], ['header', 'overlay_image'], ['header', 'og_image'], ['image'], ['teaser'], ['og_image']];

/** What a page's JSON adds to its front matter: the author resolved, front-matter images served and measured. */
export interface PageExtras {
  /** The front matter with each image path of the content folder pointed at its served URL. */
  frontMatter: Record<string, unknown>;
  author: Author | null;
  images: PageImage[];
}

/** Resolves a page's author (from `_data/authors.yml`) and its front-matter images, at assembly. */
export function pageExtrasOf(entry: PageEntry, resolver: LinkResolver, data: Readonly<Record<string, unknown>>): PageExtras {
  const images: PageImage[] = [];
  const served: [fieldPath: string[], url: string][] = [];
  for (const fieldPath of IMAGE_FIELDS) {
    const parent = fieldPath.length === 1 ? entry.frontMatter : (entry.frontMatter as Record<string, unknown>)[fieldPath[0]];
    const key = fieldPath.at(-1)!;
    if (!isMapping(parent) || typeof parent[key] !== 'string') continue;
    const src = parent[key];
    const image = resolver.resolveImage(src, entry, 'site');
    if (!image) continue;
    served.push([fieldPath, image.url]);
    images.push({ field: `front_matter.${fieldPath.join('.')}`, src, url: image.url, width: image.width, height: image.height });
  }
  // Copied only to point images at their served URLs: most pages share their entry's front matter.
  const frontMatter = served.length === 0 ? (entry.frontMatter as Record<string, unknown>) : (structuredClone(entry.frontMatter) as Record<string, unknown>);
  for (const [fieldPath, url] of served) {
    const parent = (fieldPath.length === 1 ? frontMatter : frontMatter[fieldPath[0]]) as Record<string, unknown>;
    parent[fieldPath.at(-1)!] = url;
  }
  const author = authorOf(frontMatter.author, data.authors, (src) => {
    const image = resolver.resolveImage(src, entry, 'site');
    if (image) images.push({ field: 'author.avatar', src, url: image.url, width: image.width, height: image.height });
    return image?.url ?? src;
  });
  return { frontMatter, author, images };
}

function authorOf(value: unknown, authors: unknown, avatarUrl: (src: string) => string): Author | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const known = isMapping(authors) ? authors[value] : undefined;
  if (!isMapping(known)) return { key: value, name: value, bio: null, avatar: null, links: [], resolved: false };
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
  const avatar = text(known.avatar);
  return {
    key: value,
    name: text(known.name) ?? value,
    bio: text(known.bio),
    avatar: avatar === null ? null : avatarUrl(avatar),
    links: (Array.isArray(known.links) ? known.links : [])
      .filter((link): link is Record<string, unknown> => isMapping(link) && typeof link.url === 'string' && link.url !== '')
      .map((link) => ({ label: text(link.label) ?? String(link.url), url: String(link.url), icon: text(link.icon) })),
    resolved: true,
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
