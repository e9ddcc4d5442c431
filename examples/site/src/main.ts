/**
 * The example site: every view is built from the content API through @pyos/content-client.
 * Routes: any path of the content site (resolved by /v1/resolve), and /faq/.
 */
import { createClient, type ContentClient } from '@pyos/content-client';
import { loadConfig } from './config.ts';
import { h } from './dom.ts';
import { renderFaq } from './faq.ts';
import { followContent } from './live.ts';
import { renderMenu } from './menu.ts';
import { renderPage } from './page.ts';
import { bindSearch } from './search.ts';

const main = document.querySelector('main')!;
const nav = document.querySelector<HTMLElement>('nav.menu')!;
const results = document.querySelector<HTMLElement>('.search-results')!;
const notice = document.querySelector<HTMLElement>('.live-notice')!;

/** What the current view shows, so a content event knows whether to render it again. */
let shown: { slug?: string; faq?: boolean } = {};

async function render(api: ContentClient, url: URL): Promise<void> {
  results.hidden = true;
  if (url.pathname === '/faq/') {
    await renderFaq(api, main);
    shown = { faq: true };
  } else {
    const { data, error, response } = await api.resolve(url.pathname);
    if (data?.kind === 'redirect') return navigate(api, new URL(data.location, location.href), true);
    if (data?.kind === 'page') {
      await renderPage(api, data.page, main);
      shown = { slug: data.page.slug };
    } else {
      main.replaceChildren(
        h('article', { class: 'not-found' }, h('h1', {}, response.status === 404 ? 'Not found' : 'Error'), h('p', {}, error?.detail ?? '')),
      );
      shown = {};
    }
  }
  if (url.hash) document.getElementById(decodeURIComponent(url.hash.slice(1)))?.scrollIntoView();
  document.body.dataset.path = url.pathname;
}

async function navigate(api: ContentClient, url: URL, replace = false): Promise<void> {
  if (url.origin !== location.origin) return void location.assign(url);
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  await render(api, url);
}

async function start(): Promise<void> {
  const config = await loadConfig();
  const api = createClient({ baseUrl: config.apiUrl, previewToken: config.previewToken });

  // Internal links (menus, pages, search hits) are routed here rather than reloading the page.
  document.addEventListener('click', (event) => {
    const link = (event.target as Element).closest('a');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || link.target) return;
    const url = new URL(link.getAttribute('href') ?? '', location.href);
    if (url.origin !== location.origin || (url.pathname === location.pathname && url.hash)) return;
    event.preventDefault();
    void navigate(api, url);
  });
  window.addEventListener('popstate', () => void render(api, new URL(location.href)));
  bindSearch(api, document.querySelector('form.search')!, results);

  const [site, feed] = await Promise.all([api.site.get(), api.site.feed(), renderMenu(api, nav)]);
  const title = site.data?.title ?? 'pyOpenSci';
  document.querySelector('.site-title')!.textContent = title;
  const footer = [
    h('a', { href: '/faq/', 'data-route': true }, 'FAQ'),
    feed && h('a', { href: feed.url, class: 'feed', type: 'application/atom+xml' }, 'Feed'),
    config.previewToken && h('span', { class: 'preview-badge' }, 'Preview: drafts shown, live updates on'),
  ];
  document.querySelector('.site-footer')!.replaceChildren(...footer.filter((node) => node instanceof Node));
  if (feed) document.head.append(h('link', { rel: 'alternate', type: 'application/atom+xml', title, href: feed.url }));

  if (config.previewToken) {
    followContent(api, notice, async (changed) => {
      void renderMenu(api, nav);
      const current = shown.faq || (shown.slug !== undefined && changed.includes(shown.slug));
      if (current) await render(api, new URL(location.href));
      return current;
    });
  }
  await render(api, new URL(location.href));
  document.body.dataset.ready = 'true';
}

void start();
