import { z } from 'zod';
import { IdentifierSchema } from './identifier.ts';

/**
 * A section's id as its route takes it (`/v1/pages/{slug}/sections/{id}`): a heading whose id this
 * refuses (none, or one set explicitly over 200 characters) is not made a section, so every
 * section and table-of-contents entry listed can be fetched (see schemas/identifier.ts).
 */
export const SectionIdSchema = IdentifierSchema;

/** A heading of a page, as a table-of-contents entry. */
export const TocEntrySchema = z
  .object({
    id: z.string().describe('Anchor of the heading (GitHub-style slug).'),
    title: z.string(),
    level: z.number().int().min(1).max(6),
  })
  .meta({ id: 'TocEntry', example: { id: 'community-meetings', title: 'Community meetings', level: 3 } });

export interface Section {
  id: string;
  title: string;
  level: number;
  html: string;
  text: string;
  children: Section[];
}

/**
 * The part of a page under one heading, up to the next heading of the same or a higher level.
 * `html` is the section's own content (heading excluded, subsections excluded); subsections are in `children`.
 */
export const SectionSchema: z.ZodType<Section> = z
  .object({
    id: z.string().describe('Anchor of the heading; link to it as permalink#id.'),
    title: z.string().describe('Heading text.'),
    level: z.number().int().min(1).max(6),
    html: z.string().describe('Sanitized HTML of the section body before its first subsection.'),
    text: z.string().describe('Plain text of the section body.'),
    get children() {
      return z.array(SectionSchema).describe('Subsections, in document order.');
    },
  })
  .meta({
    id: 'Section',
    description: 'The part of a page under one heading, with its subsections in children.',
    example: {
      id: 'community-meetings',
      title: 'Community meetings',
      level: 3,
      html: '<p>Currently, the pyOpenSci team holds community meetings roughly every 2 weeks.</p>',
      text: 'Currently, the pyOpenSci team holds community meetings roughly every 2 weeks.',
      children: [],
    },
  });

export type TocEntry = z.infer<typeof TocEntrySchema>;
