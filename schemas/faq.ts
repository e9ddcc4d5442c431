import { z } from 'zod';

/** A question under a page's FAQ heading (a heading, or a bold paragraph or `<dt>` ending with `?`), with its answer. */
export const FaqEntrySchema = z
  .object({
    id: z
      .string()
      .describe('Anchor of the question (its heading, or the bold paragraph or <dt> it is written as), unique within its page.'),
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
    description:
      'A question under a FAQ heading (a heading, or a bold paragraph or <dt> ending with ?), with its answer as HTML and as plain text.',
    example: {
      id: 'whats-the-difference-between-pyopensci-and-joss',
      question: "What's the difference between pyOpenSci and JOSS?",
      answer: {
        html: '<p>The Journal of Open Source Software is a community…</p>',
        text: 'The Journal of Open Source Software is a community…',
      },
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
    description:
      'FAQ entries that match, best first (entries whose question matches before those where only the answer does); without `q`, in page and document order. With the total to page through them.',
    example: {
      items: [
        {
          id: 'whats-the-difference-between-pyopensci-and-joss',
          question: "What's the difference between pyOpenSci and JOSS?",
          answer: {
            html: '<p>The Journal of Open Source Software is a community…</p>',
            text: 'The Journal of Open Source Software is a community…',
          },
          page: 'index',
          link: '/#whats-the-difference-between-pyopensci-and-joss',
        },
      ],
      total: 1,
    },
  });

const jsonLdExample = {
  '@context': 'https://schema.org' as const,
  '@type': 'FAQPage' as const,
  mainEntity: [
    {
      '@type': 'Question' as const,
      name: "What's the difference between pyOpenSci and JOSS?",
      acceptedAnswer: { '@type': 'Answer' as const, text: '<p>The Journal of Open Source Software is a community…</p>' },
    },
  ],
};

/**
 * schema.org FAQPage as JSON-LD (https://schema.org/FAQPage, and what search engines read for
 * FAQ rich results): each entry a Question with its name and an accepted Answer whose text is
 * the answer's HTML.
 */
export const FaqPageJsonLdSchema = z
  .object({
    '@context': z.literal('https://schema.org'),
    '@type': z.literal('FAQPage'),
    mainEntity: z.array(
      z.object({
        '@type': z.literal('Question'),
        name: z.string().min(1).describe('The question.'),
        acceptedAnswer: z.object({
          '@type': z.literal('Answer'),
          text: z.string().min(1).describe('The answer as HTML.'),
        }),
      }),
    ),
  })
  .meta({
    id: 'FaqPageJsonLd',
    description: 'schema.org FAQPage JSON-LD, ready to put in a `script` element of type application/ld+json in the page.',
    example: jsonLdExample,
  });

export type FaqEntry = z.infer<typeof FaqEntrySchema>;
export type FaqPageJsonLd = z.infer<typeof FaqPageJsonLdSchema>;
export type FaqList = z.infer<typeof FaqListSchema>;
