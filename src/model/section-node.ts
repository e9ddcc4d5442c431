import type { Section } from '../../schemas/section.ts';

/** A section with its heading's HTML, so whole-section fragments are joined from stored strings. */
export interface SectionNode extends Section {
  headingHtml: string;
  children: SectionNode[];
}
