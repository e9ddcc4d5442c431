import type { FaqEntry } from '../../schemas/faq.ts';
import { sectionContentHtml, sectionContentText, walkSections } from './sections.ts';
import type { SectionNode } from '../model/section-node.ts';

const FAQ_HEADING = /^(faqs?|frequently asked questions)$/i;

/** Whether a heading names a FAQ (FAQ, FAQs, Frequently Asked Questions; trailing punctuation ignored). */
export function isFaqHeading(title: string): boolean {
  return FAQ_HEADING.test(title.replace(/[\s:.!?]+$/, '').trim());
}

/**
 * The questions of a page: the headings directly under a FAQ heading, each with everything up
 * to the next question as its answer.
 */
export function extractFaq(sections: SectionNode[], page: { slug: string; permalink: string }): FaqEntry[] {
  const entries: FaqEntry[] = [];
  for (const section of walkSections(sections)) {
    if (!isFaqHeading(section.title)) continue;
    for (const question of section.children) {
      entries.push({
        id: question.id,
        question: question.title,
        answer: { html: sectionContentHtml(question), text: sectionContentText(question) },
        page: page.slug,
        link: `${page.permalink}#${question.id}`,
      });
    }
  }
  return entries;
}
