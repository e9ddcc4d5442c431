import { z } from 'zod';

/** A question under a page's FAQ heading, with its answer. */
export const FaqEntrySchema = z
  .object({
    id: z.string().describe('Anchor of the question heading, unique within its page.'),
    question: z.string(),
    answer: z.object({
      html: z.string().describe('Sanitized HTML of the answer.'),
      text: z.string().describe('Plain text of the answer.'),
    }),
    page: z.string().describe('Slug of the page the entry is on.'),
    link: z.string().describe('Permalink of the page with the anchor: a deep link to the answer.'),
  })
  .meta({
    id: 'FaqEntry',
    description: 'A question under a FAQ heading, with its answer as HTML and as plain text.',
    example: {
      id: 'whats-the-difference-between-pyopensci-and-joss',
      question: "What's the difference between pyOpenSci and JOSS?",
      answer: { html: '<p>The Journal of Open Source Software is a community…</p>', text: 'The Journal of Open Source Software is a community…' },
      page: 'index',
      link: '/#whats-the-difference-between-pyopensci-and-joss',
    },
  });

export const FaqListSchema = z
  .object({
    items: z.array(FaqEntrySchema),
    total: z.number().int().min(0).describe('Number of entries that match, before paging.'),
  })
  .meta({
    id: 'FaqList',
    description: 'FAQ entries that match, in page and document order, with the total to page through them.',
    example: {
      items: [{
        id: 'whats-the-difference-between-pyopensci-and-joss',
        question: "What's the difference between pyOpenSci and JOSS?",
        answer: { html: '<p>The Journal of Open Source Software is a community…</p>', text: 'The Journal of Open Source Software is a community…' },
        page: 'index',
        link: '/#whats-the-difference-between-pyopensci-and-joss',
      }],
      total: 1,
    },
  });

export type FaqEntry = z.infer<typeof FaqEntrySchema>;
export type FaqList = z.infer<typeof FaqListSchema>;
