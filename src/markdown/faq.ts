import type { Element, ElementContent, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { toString } from 'hast-util-to-string';
import type { FaqEntry } from '../../schemas/faq.ts';
import { writtenQuestion } from './faq-question.ts';
import { sectionContentHtml, sectionContentText, walkSections } from './sections.ts';
import type { SectionNode } from '../model/section-node.ts';

const FAQ_HEADING = /^(faqs?|frequently asked questions)$/i;

/** Whether a heading names a FAQ (FAQ, FAQs, Frequently Asked Questions; trailing punctuation ignored). */
export function isFaqHeading(title: string): boolean {
  return FAQ_HEADING.test(title.replace(/[\s:.!?]+$/, '').trim());
}

/** A FAQ entry as a page's render finds it: its page and deep link are added by the page's record. */
export type FaqQuestion = Omit<FaqEntry, 'page' | 'link'>;

/**
 * The questions of a page, under each FAQ heading: first those written in the section's body
 * (bold paragraphs or `<dt>`s ending with `?`, given ids by rehypeFaqQuestions), each answered
 * by what follows it up to the next question or the end of the body; then the headings directly
 * under it, each with everything up to the next question heading as its answer.
 */
export function faqQuestionsOf(sections: SectionNode[]): FaqQuestion[] {
  const questions: FaqQuestion[] = [];
  for (const section of faqSections(sections)) {
    questions.push(...writtenQuestions(section.html));
    for (const question of section.children) {
      questions.push({
        id: question.id,
        question: question.title,
        answer: { html: sectionContentHtml(question), text: sectionContentText(question) },
      });
    }
  }
  return questions;
}

/** The sections whose heading names a FAQ (see {@link isFaqHeading}), in document order. */
export function* faqSections(sections: SectionNode[]): Generator<SectionNode> {
  for (const section of walkSections(sections)) if (isFaqHeading(section.title)) yield section;
}

/** A question of a page as the page serves it: with the page's slug and a deep link to the answer. */
export function faqEntryOf(question: FaqQuestion, page: { slug: string; permalink: string }): FaqEntry {
  return { ...question, page: page.slug, link: `${page.permalink}#${question.id}` };
}

/** The questions written in a section body's HTML, each with the nodes up to the next question as its answer. */
function writtenQuestions(html: string): FaqQuestion[] {
  if (!/<(?:p|dt)\b[^>]*\bid=/.test(html)) return [];
  const found: { id: string; question: string; answer: ElementContent[] }[] = [];
  const collect = (nodes: RootContent[]) => {
    for (const node of nodes) {
      const written = node.type === 'element' && typeof node.properties.id === 'string' ? writtenQuestion(node) : undefined;
      if (written) {
        const rest: ElementContent[] =
          written.rest.length > 0 ? [{ type: 'element', tagName: 'p', properties: {}, children: written.rest }] : [];
        found.push({ id: String((node as Element).properties.id), question: written.question, answer: rest });
      } else if (node.type === 'element' && node.tagName === 'dl') {
        collect(node.children);
      } else if (found.length > 0 && node.type !== 'comment' && node.type !== 'doctype') {
        found.at(-1)!.answer.push(node);
      }
    }
  };
  collect(fromHtml(html, { fragment: true }).children);
  return found.map(({ id, question, answer }) => ({
    id,
    question,
    answer: {
      html: toHtml({ type: 'root', children: answer }).trim(),
      text: answer
        .map((node) => toString(node))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    },
  }));
}
