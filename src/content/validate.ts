import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { FrontMatterSchema, knownFrontMatterKeys, type FrontMatter } from '../../schemas/front-matter.ts';
import { formatFieldPath, locateField } from './locate.ts';
import type { ParsedFrontMatter } from './front-matter.ts';
import type { ContentProblem } from '../model/problem.ts';

/** The result of checking front matter against the content model. */
export interface ValidatedFrontMatter {
  frontMatter: FrontMatter | null;
  problems: ContentProblem[];
  /** File position of a field path, to point later problems (e.g. duplicates) at the right key. */
  positionOf: (path: readonly PropertyKey[]) => { line: number; column: number };
}

/**
 * Validates parsed front matter against {@link FrontMatterSchema}. Every issue becomes a problem
 * pointing at the offending key in the file; unknown keys that look like typos of known keys get a
 * "did you mean" warning.
 */
export function validateFrontMatter(parsed: ParsedFrontMatter): ValidatedFrontMatter {
  const problems: ContentProblem[] = [];
  const position = (path: readonly PropertyKey[]) => {
    if (!parsed.document) return { line: parsed.yamlLine, column: 1 };
    const pos = locateField(parsed.document, path, parsed.lineCounter);
    return { line: parsed.yamlLine + pos.line - 1, column: pos.col };
  };

  const result = FrontMatterSchema.safeParse(withoutEmptyKnownKeys(parsed.data));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = formatFieldPath(issue.path);
      problems.push({
        code: issue.code === 'invalid_type' ? 'invalid-type' : 'invalid-value',
        severity: 'error',
        ...position(issue.path),
        field: field || null,
        ...describeIssue(issue, field, valueAt(parsed.data, issue.path)),
      });
    }
  }

  for (const key of Object.keys(parsed.data)) {
    if (knownFrontMatterKeys.includes(key)) continue;
    const suggestion = closest(key, knownFrontMatterKeys);
    // A plural or singular of a known key (authors, tag) is a deliberate custom key, not a typo.
    const inflection = key === `${suggestion}s` || `${key}s` === suggestion;
    if (!inflection && distance(key.toLowerCase(), suggestion) <= Math.min(2, Math.floor(suggestion.length / 3))) {
      problems.push({
        code: 'unknown-key', severity: 'warning', ...position([key]), field: key,
        message: `${key} is not a known front-matter key; did you mean ${suggestion}?`,
        hint: `Rename it to ${suggestion} if that is what you meant; custom keys are kept and served as they are.`,
      });
    }
  }
  return { frontMatter: result.success ? result.data : null, problems, positionOf: position };
}

/**
 * A known key left empty (`author:`) is nil in Jekyll: the same as not set. Dropping it before
 * validation lets the schema state the real types without `| null` everywhere.
 */
function withoutEmptyKnownKeys(data: Record<string, unknown>): Record<string, unknown> {
  const result = Object.fromEntries(Object.entries(data).filter(([key, value]) => value !== null || !knownFrontMatterKeys.includes(key)));
  if (result.header && typeof result.header === 'object' && !Array.isArray(result.header)) {
    result.header = Object.fromEntries(Object.entries(result.header).filter(([, value]) => value !== null));
  }
  return result;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), data);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Turns a Zod issue into a message that says what is wrong and a hint that says what to do. */
function describeIssue(issue: z.core.$ZodIssue, field: string, value: unknown): { message: string; hint: string } {
  const name = field || 'front matter';
  const key = field.split(/[.[]/).pop() ?? field;
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a map' : `a ${issue.expected}`;
    if (value === undefined) {
      return { message: `${name} is required (expected ${expected})`, hint: `Add ${key}: to the front matter.` };
    }
    const scalar = typeof value === 'number' || typeof value === 'boolean';
    return {
      message: `${name} must be ${expected} (got ${describeValue(value)})`,
      hint: issue.expected === 'string' && scalar ? `Quote it: ${key}: "${String(value)}"` : `Change ${key} to ${expected}.`,
    };
  }
  if (issue.code === 'invalid_union') {
    return {
      message: `${name} has the wrong form (got ${describeValue(value)})`,
      hint: unionHint(key),
    };
  }
  return { message: `${name} ${issue.message}`, hint: `Fix the value of ${key}.` };
}

function unionHint(key: string): string {
  switch (key) {
    case 'overlay_filter':
      return 'Use a number between 0 and 1 (overlay_filter: 0.5) or a CSS value (overlay_filter: rgba(0, 0, 0, 0.5)).';
    case 'categories':
    case 'tags':
    case 'redirect_from':
    case 'classes':
      return `Use one string or a list of strings: ${key}: [a, b]`;
    default:
      return `See schemas/front-matter.schema.json for the accepted forms of ${key}.`;
  }
}
