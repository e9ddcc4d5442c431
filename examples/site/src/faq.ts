import type { ContentClient, FaqEntry } from '@pyos/content-client';
import { h, trustedHtml } from './dom.ts';

/** The FAQ: every entry as a question that opens on its answer, with search and JSON-LD. */
export async function renderFaq(api: ContentClient, main: HTMLElement): Promise<void> {
  const [all, jsonLd] = await Promise.all([api.faq.list({ limit: 100 }), api.faq.jsonLd()]);
  const entries = h('div', { class: 'faq-entries' });
  const show = (items: FaqEntry[]) =>
    entries.replaceChildren(
      ...(items.length
        ? items.map((entry) =>
            h(
              'details',
              { class: 'faq-entry', id: entry.id },
              h('summary', {}, entry.question),
              trustedHtml('div', entry.answer.html, { class: 'faq-answer' }),
            ),
          )
        : [h('p', { class: 'empty' }, 'No question matches.')]),
    );
  show(all.data?.items ?? []);

  const input = h('input', {
    type: 'search',
    placeholder: 'Search the questions',
    'aria-label': 'Search the questions',
    class: 'faq-search',
  });
  let asked = 0;
  input.addEventListener('input', async () => {
    const ask = ++asked;
    const q = input.value.trim();
    const { data } = q ? await api.faq.search(q, { limit: 100 }) : await api.faq.list({ limit: 100 });
    if (ask === asked) show(data?.items ?? []);
  });

  const script = jsonLd.data ? h('script', { type: 'application/ld+json' }, JSON.stringify(jsonLd.data)) : null;
  main.replaceChildren(h('article', { class: 'faq' }, h('h1', {}, 'Frequently asked questions'), input, entries, script));
  document.title = 'FAQ';
}
