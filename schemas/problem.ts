import { z } from 'zod';

/** One request parameter that failed validation. */
export const InvalidParamSchema = z
  .object({
    in: z.enum(['query', 'path', 'header', 'body']).describe('Where the parameter was sent.'),
    name: z.string().describe('Parameter name, e.g. limit.'),
    reason: z.string().describe('What is wrong with it and what is accepted.'),
  })
  .meta({ id: 'InvalidParam', example: { in: 'query', name: 'limit', reason: 'must be at most 100' } });

/** RFC 9457 problem details: the one shape of every error response. */
export const ProblemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem; about:blank for plain HTTP errors.'),
    title: z.string().describe('Short summary of the kind of problem.'),
    status: z.number().int().min(400).max(599),
    detail: z.string().describe('What went wrong with this request and how to fix it.'),
    instance: z.string().optional().describe('The request path.'),
    invalid_params: z.array(InvalidParamSchema).optional().describe('For validation errors: each offending parameter.'),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details (application/problem+json).',
    example: {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No page has the slug "no-such-page".',
      instance: '/v1/pages/no-such-page',
    },
  });

export type Problem = z.infer<typeof ProblemSchema>;
export type InvalidParam = z.infer<typeof InvalidParamSchema>;
