import type { ContentClient, MenuItem } from '@pyos/content-client';
import { h } from './dom.ts';

/** A link of the menu, whatever it came from. */
interface MenuLink {
  title: string;
  url: string | null;
  children: MenuLink[];
}

const fromMenu = (item: MenuItem): MenuLink => ({ title: item.title, url: item.url, children: item.children.map(fromMenu) });

/**
 * The site's main menu (`_data/navigation.yml`), or, for a site without one, its plain pages:
 * a link per page, sub-links as a nested list.
 */
export async function renderMenu(api: ContentClient, nav: HTMLElement): Promise<void> {
  const menus = await api.menus.list();
  const main = menus.data?.items.find((menu) => menu.name === 'main') ?? menus.data?.items[0];
  let links: MenuLink[];
  if (main) links = main.items.map(fromMenu);
  else {
    const pages = await api.pages.list({ type: 'page', sort: 'title', fields: ['title', 'permalink'], limit: 100 });
    links = (pages.data?.items ?? [])
      .filter((page) => page.permalink !== '/')
      .map((page) => ({ title: page.title, url: page.permalink, children: [] }));
  }
  nav.replaceChildren(list(links));
}

function list(links: MenuLink[]): HTMLUListElement {
  return h(
    'ul',
    {},
    ...links.map((link) =>
      h(
        'li',
        {},
        link.url ? h('a', { href: link.url, 'data-route': true }, link.title) : h('span', {}, link.title),
        link.children.length ? list(link.children) : null,
      ),
    ),
  );
}
