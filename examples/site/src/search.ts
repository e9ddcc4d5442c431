import type { ContentClient } from '@pyos/content-client';
import { h, trustedHtml } from './dom.ts';

/** The header's search box: results (best section first, words marked) as the reader types. */
export function bindSearch(api: ContentClient, form: HTMLFormElement, panel: HTMLElement): void {
  const input = form.elements.namedItem('q') as HTMLInputElement;
  let asked = 0;
  const run = async () => {
    const ask = ++asked;
    const q = input.value.trim();
    if (!q) return void (panel.hidden = true);
    const { data, error } = await api.search(q, { limit: 10 });
    if (ask !== asked) return;
    panel.hidden = false;
    if (error) return void panel.replaceChildren(h('p', {}, error.detail ?? error.title));
    panel.replaceChildren(
      h('h2', {}, `${data.total} result${data.total === 1 ? '' : 's'} for “${q}”`),
      h(
        'ol',
        {},
        ...data.items.map((hit) =>
          h('li', { class: 'search-hit' }, h('a', { href: hit.url, 'data-route': true }, hit.title), trustedHtml('p', hit.snippet)),
        ),
      ),
    );
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  input.addEventListener('input', () => void run());
}
