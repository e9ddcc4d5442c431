import type { Element, Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import GithubSlugger from 'github-slugger';
import { anchorId } from './anchor-id.ts';
import { isFaqHeading } from './faq.ts';
import { writtenQuestion } from './faq-question.ts';
import { walk } from './walk.ts';

/**
 * Gives the questions written in a FAQ section's body (bold paragraphs and `<dt>`s ending with
 * `?`, see {@link writtenQuestion}) an id, as headings have, so each FAQ entry links to its
 * question. A FAQ section runs from its heading to the next heading of its level or above.
 */
export function rehypeFaqQuestions() {
  return (tree: Root) => {
    const slugger = new GithubSlugger();
    // The ids already on the page are taken: a question that slugs to one gets a suffix.
    walk(tree, 'element', (node: Element) => {
      if (typeof node.properties.id === 'string') slugger.slug(node.properties.id);
    });
    let faqLevel: number | undefined;
    for (const node of tree.children) {
      if (node.type !== 'element') continue;
      const level = headingRank(node);
      if (level !== undefined) {
        if (faqLevel !== undefined && level <= faqLevel) faqLevel = undefined;
        if (faqLevel === undefined && isFaqHeading(toString(node).replace(/\s+/g, ' ').trim())) faqLevel = level;
        continue;
      }
      if (faqLevel === undefined) continue;
      const questions =
        node.tagName === 'dl'
          ? node.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'dt')
          : [node];
      for (const element of questions) {
        const written = writtenQuestion(element);
        if (written && typeof element.properties.id !== 'string') element.properties.id = anchorId(slugger, written.question);
      }
    }
  };
}
