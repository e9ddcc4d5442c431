import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { faqEntryOf, faqQuestionsOf } from '../../src/markdown/faq.ts';
import { createMarkdownRenderer } from '../../src/markdown/render.ts';
import { outlinePage, sectionsFrom } from '../../src/markdown/sections.ts';
import { pyopensciCorpus } from '../helpers/app.ts';

async function faqOf(body: string) {
  const renderMarkdown = createMarkdownRenderer({ resolveLink: () => ({ kind: 'external' }) });
  const { tree } = await renderMarkdown({ body, bodyLine: 1, page: { file: 'page.md', permalink: '/page/' } });
  const outline = outlinePage(tree);
  return {
    html: outline.html,
    faq: faqQuestionsOf(sectionsFrom(outline.html, outline.sections)).map((question) =>
      faqEntryOf(question, { slug: 'page', permalink: '/page/' }),
    ),
  };
}

describe('faqQuestionsOf', () => {
  it('reads wholly bold paragraphs ending with ? under a FAQ heading as questions, answered up to the next question', async () => {
    const { html, faq } = await faqOf(
      '## FAQ\n\n**How do I apply?**\n\nUse [the form](https://x.example/).\n\nIt takes a minute.\n\n**Can I come for one day?**\n\nYes!\n\n## After\n\nNot an answer.',
    );
    expect(faq).toEqual([
      {
        id: 'how-do-i-apply',
        question: 'How do I apply?',
        answer: {
          html: '<p>Use <a href="https://x.example/">the form</a>.</p>\n<p>It takes a minute.</p>',
          text: 'Use the form. It takes a minute.',
        },
        page: 'page',
        link: '/page/#how-do-i-apply',
      },
      {
        id: 'can-i-come-for-one-day',
        question: 'Can I come for one day?',
        answer: { html: '<p>Yes!</p>', text: 'Yes!' },
        page: 'page',
        link: '/page/#can-i-come-for-one-day',
      },
    ]);
    expect(html).toContain('<p id="how-do-i-apply"><strong>How do I apply?</strong></p>');
  });

  it('reads a bold first line ending with ? as the question and the rest of its paragraph as the start of the answer', async () => {
    const { faq } = await faqOf(
      '## FAQ\n\n**Should I use AI tools?**\nYes! And defend every line.\n\nMore.\n\n**What if I have no time?**\nUse them.',
    );
    expect(faq.map((entry) => [entry.question, entry.answer.html])).toEqual([
      ['Should I use AI tools?', '<p>Yes! And defend every line.</p>\n<p>More.</p>'],
      ['What if I have no time?', '<p>Use them.</p>'],
    ]);
  });

  it('reads <dt> questions, answered by their <dd>', async () => {
    const { faq } = await faqOf(
      '## Frequently Asked Questions\n\n<dl>\n<dt>Is it free?</dt>\n<dd>Yes.</dd>\n<dt>Who runs it?</dt>\n<dd>Volunteers.</dd>\n</dl>',
    );
    expect(faq.map((entry) => [entry.id, entry.question, entry.answer.text])).toEqual([
      ['is-it-free', 'Is it free?', 'Yes.'],
      ['who-runs-it', 'Who runs it?', 'Volunteers.'],
    ]);
  });

  it('ignores bold text that is not a question, or not under a FAQ heading, and still reads question headings', async () => {
    const { faq } = await faqOf(
      '**Is this a question?**\n\nNot in a FAQ.\n\n## FAQ\n\n**Note:** bold, but no question.\n\n**Bold but not a question.**\n\n### Is there a heading question?\n\nYes.',
    );
    expect(faq.map((entry) => entry.question)).toEqual(['Is there a heading question?']);
  });

  it('gives both FAQ sections of the pyOpenSci site their entries, each with an answer', async () => {
    const snapshot = await loadContent(pyopensciCorpus);
    const faq = snapshot.published.faq;
    expect(faq.length).toBeGreaterThanOrEqual(9);
    expect(faq.map((entry) => entry.question)).toContain('How do I apply for a scholarship?');
    expect(new Set(faq.map((entry) => entry.page)).size).toBe(2);
    for (const entry of faq) expect(entry.answer.text, entry.question).not.toBe('');
  }, 60_000);
});
