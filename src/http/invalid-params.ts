import type { FastifySchemaValidationError } from 'fastify';
import type { InvalidParam } from '../../schemas/problem.ts';

/**
 * A Zod issue as fastify-type-provider-zod passes it on: its code is the keyword, its path the
 * instance path, the rest of it in `params`.
 */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  /** unrecognized_keys: the parameters the route does not take. */
  keys?: string[];
  /** invalid_union: each branch's issues. */
  errors?: Issue[][];
  /** too_big: what kind of value, and its limit. */
  origin?: string;
  maximum?: number | bigint;
}

/**
 * Each offending parameter of a validation error, by name, with a reason a client can act on.
 * `query` is the parsed query string: a repeated parameter is a list in it.
 */
export function invalidParamsOf(
  validation: readonly FastifySchemaValidationError[],
  where: InvalidParam['in'],
  query: Record<string, unknown> | undefined,
): InvalidParam[] {
  return validation.flatMap((error) => {
    const issue = explainingIssue(issueOf(error));
    // One issue names every unknown parameter; each is an entry of its own.
    const names =
      issue.code === 'unrecognized_keys' && issue.keys?.length
        ? issue.keys.map((key) => [...issue.path, key].join('.'))
        : [issue.path.join('.') || 'request'];
    return names.map((name) => ({ in: where, name, reason: reasonOf(issue, where === 'query' ? query?.[name] : undefined) }));
  });
}

function issueOf(error: FastifySchemaValidationError): Issue {
  return {
    ...(error.params as Partial<Issue> | undefined),
    code: error.keyword,
    path: error.instancePath.split('/').filter(Boolean),
    message: error.message ?? 'is not valid',
  };
}

/**
 * A union's failure explained by the one branch whose type the value has (the list branch for a
 * parameter given several times), rather than Zod's bare "Invalid input".
 */
function explainingIssue(issue: Issue): Issue {
  const fitting = (issue.code === 'invalid_union' ? (issue.errors ?? []) : []).filter(
    (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  const inner = fitting.length === 1 ? fitting[0]?.[0] : undefined;
  return inner ? explainingIssue({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

function reasonOf(issue: Issue, given: unknown): string {
  if (!Array.isArray(given)) return issue.message;
  // A parameter repeated where one value is taken (?q=a&q=b) arrives as a list: say so, rather
  // than what the schema says of a value of the wrong type; and one repeated more often than its
  // list takes, how often it may be.
  if (issue.code === 'invalid_type' || issue.code === 'invalid_value') return `must be given once (it was given ${given.length} times)`;
  if (issue.code === 'too_big' && issue.origin === 'array')
    return `must be given at most ${String(issue.maximum)} times (it was given ${given.length} times)`;
  return issue.message;
}
