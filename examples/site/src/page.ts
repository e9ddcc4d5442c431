import type { ContentClient, Page, TocNode } from '@pyos/content-client';
import { renderComponents } from './components.ts';
import { h, trustedHtml } from './dom.ts';

/** A page: title, breadcrumbs, table of contents (when its front matter asks), body with components. */
export async function renderPage(api: ContentClient, page: Page, main: HTMLElement): Promise<void> {
  const [toc, navigation] = await Promise.all([api.pages.toc(page.slug), api.pages.navigation(page.slug)]);
  const body = trustedHtml('div', page.html, { class: 'page-body' });
  renderComponents(body, page.components);
  const crumbs = navigation.data?.breadcrumbs ?? [];
  main.replaceChildren(
    h(
      'article',
      { class: 'page', 'data-slug': page.slug },
      crumbs.length > 1
        ? h(
            'nav',
            { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' },
            ...crumbs.map((crumb) => h('a', { href: crumb.url, 'data-route': true }, crumb.title)),
          )
        : null,
      h('h1', {}, page.title),
      toc.data?.enabled && toc.data.items.length
        ? h('nav', { class: 'toc', 'aria-label': toc.data.label }, h('h2', {}, toc.data.label), tocList(toc.data.items))
        : null,
      body,
      page.actions.length
        ? h(
            'p',
            { class: 'actions' },
            ...page.actions.map((action) => h('a', { class: 'button', href: action.url, 'data-route': action.internal }, action.label)),
          )
        : null,
    ),
  );
  document.title = page.title;
}

function tocList(nodes: TocNode[]): HTMLOListElement {
  return h(
    'ol',
    {},
    ...nodes.map((node) => h('li', {}, h('a', { href: `#${node.id}` }, node.title), node.children.length ? tocList(node.children) : null)),
  );
}
