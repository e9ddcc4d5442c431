import type { Menu, MenuItem } from '../../schemas/menu.ts';
import { NAVIGATION_FILES, parseMenus, type MenuEntry } from '../content/navigation-file.ts';
import { permalinkKey, withoutBaseUrl } from '../model/permalink.ts';
import type { ContentView } from '../model/content-view.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { isSameSiteUrl } from '../content/url-policy.ts';

const DATA_NAME = 'navigation';

const menusByView = new WeakMap<ContentView, Menu[]>();

/**
 * The site's menus as a view sees them: links resolved to the view's pages. Built once per
 * content version (the view and the snapshot are never mutated) and kept with the view.
 */
export function menusOf(snapshot: Snapshot, view: ContentView): Menu[] {
  let menus = menusByView.get(view);
  if (!menus) {
    const { menus: sources } = parseMenus(snapshot.data[DATA_NAME], NAVIGATION_FILES[0]);
    menus = sources.map((source) => ({
      name: source.name,
      items: source.entries.map((entry) => resolveEntry(entry, view, snapshot.baseUrl)),
    }));
    menusByView.set(view, menus);
  }
  return menus;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * A menu link resolved as Jekyll's `relative_url` reads it: a path without a leading slash is
 * from the site root; a path served by a page (or redirected to one) becomes that page's
 * permalink, with the page's slug.
 */
function resolveEntry(entry: MenuEntry, view: ContentView, baseUrl: string): MenuItem {
  const link = resolveUrl(entry.url, view, baseUrl);
  return {
    title: entry.title,
    ...link,
    icon: entry.icon,
    description: entry.description,
    button: entry.button,
    children: entry.children.map((child) => resolveEntry(child, view, baseUrl)),
  };
}

function resolveUrl(url: string | null, view: ContentView, baseUrl: string): Pick<MenuItem, 'url' | 'internal' | 'slug'> {
  const written = url?.trim() ?? '';
  if (written === '') return { url: null, internal: false, slug: null };
  if (EXTERNAL.test(written)) return { url: written, internal: false, slug: null };
  if (written.startsWith('#')) return { url: written, internal: true, slug: null };
  if (!isSameSiteUrl(written)) return { url: written, internal: false, slug: null };
  const absolute = written.startsWith('/') ? written : `/${written}`;
  const fragment = absolute.includes('#') ? absolute.slice(absolute.indexOf('#')) : '';
  const key = permalinkKey(withoutBaseUrl(absolute, baseUrl));
  const redirect = view.redirects.get(key);
  if (redirect !== undefined && EXTERNAL.test(redirect)) return { url: redirect, internal: false, slug: null };
  const page =
    view.byPermalink.get(key) ??
    (redirect === undefined ? undefined : view.byPermalink.get(permalinkKey(withoutBaseUrl(redirect, baseUrl))));
  return page
    ? { url: page.summary.permalink + fragment, internal: true, slug: page.summary.slug }
    : { url: absolute, internal: true, slug: null };
}
