import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Pair } from 'yaml';
import type { ContentProblem } from '../model/problem.ts';
import { relaxJekyllYaml } from '../jekyll/relax-yaml.ts';
import { JEKYLL_YAML } from '../jekyll/yaml-schema.ts';
import { contentLimits } from './limits.ts';
import { keyOf, removeUnsafeKeys } from './unsafe-keys.ts';

/** A markdown file cut at its front matter. Lines are 1-based lines of the whole file. */
export interface SplitFile {
  /** The YAML text between the `---` fences ('' when the file has none). */
  yaml: string;
  /** File line of the first YAML line. */
  yamlLine: number;
  /** Whether the file opens with a front-matter block at all. */
  hasFrontMatter: boolean;
  /** Whether the file opens a front-matter fence that never closes (not a page: its intent cannot be read). */
  unclosed: boolean;
  body: string;
  /** File line of the first body line. */
  bodyLine: number;
}

const OPENING_FENCE = /^---[ \t]*\r?\n/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/m;

/** Splits a file into its front matter and its body, the way Jekyll recognises front matter. */
export function splitFrontMatter(source: string): SplitFile {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const opening = OPENING_FENCE.exec(text);
  if (!opening) return { yaml: '', yamlLine: 1, hasFrontMatter: false, unclosed: false, body: text, bodyLine: 1 };
  const rest = text.slice(opening[0].length);
  // An empty front matter closes on the very next line.
  const closing = CLOSING_FENCE.exec(rest);
  if (!closing) return { yaml: '', yamlLine: 1, hasFrontMatter: false, unclosed: true, body: text, bodyLine: 1 };
  const yaml = rest.slice(0, closing.index);
  const afterFence = rest.slice(closing.index + closing[0].length).replace(/^\r?\n/, '');
  const yamlLines = yaml === '' ? 0 : yaml.split('\n').length - (yaml.endsWith('\n') ? 1 : 0);
  return { yaml, yamlLine: 2, hasFrontMatter: true, unclosed: false, body: afterFence, bodyLine: 2 + yamlLines + 1 };
}

/** Parsed front matter with what is needed to point problems at the right line. */
export interface ParsedFrontMatter {
  data: Record<string, unknown>;
  document: Document | null;
  lineCounter: LineCounter;
  /** File line of the first YAML line (to offset positions within the block). */
  yamlLine: number;
  problems: ContentProblem[];
  /** Every value of a strict key set more than once at the top level, in file order (see {@link FrontMatterOptions}). */
  repeated: Record<string, unknown[]>;
}

export interface FrontMatterOptions {
  /**
   * Top-level keys whose repetition is an error rather than a last-wins warning: the keys that
   * decide whether a page is public, where a later line must not quietly overrule an earlier one.
   */
  strictKeys?: readonly string[];
}


/**
 * Parses front-matter YAML as data only (YAML 1.1 like Jekyll's Psych: `yes`/`no` are booleans;
 * no custom tags are executed). Duplicate keys are accepted with the last one winning, as Jekyll does,
 * and reported as warnings.
 */
export function parseFrontMatter(yamlText: string, yamlLine: number, options: FrontMatterOptions = {}): ParsedFrontMatter {
  let lineCounter = new LineCounter();
  const problems: ContentProblem[] = [];
  const repeated: Record<string, unknown[]> = {};
  const empty = { data: {}, document: null, lineCounter, yamlLine, problems, repeated };

  if (Buffer.byteLength(yamlText) > contentLimits.maxFrontMatterBytes) {
    problems.push({
      code: 'front-matter-too-large', severity: 'error', line: yamlLine, column: 1, field: null,
      message: `front matter is larger than ${contentLimits.maxFrontMatterBytes / 1024} KB`,
      hint: 'Move long text into the page body or a _data file.',
    });
    return empty;
  }
  const depth = bracketDepth(yamlText);
  if (depth > contentLimits.maxYamlDepth) {
    problems.push(depthProblem(yamlLine));
    return empty;
  }

  let document = parseYaml(yamlText, lineCounter);
  if (document.errors.length > 0) {
    // Jekyll's parser (libyaml) accepts some sloppy YAML; read it the same way, and say so.
    const relaxed = relaxJekyllYaml(yamlText);
    const relaxedCounter = new LineCounter();
    const retry = relaxed.fixes.length > 0 ? parseYaml(relaxed.source, relaxedCounter) : null;
    if (retry && retry.errors.length === 0) {
      document = retry;
      lineCounter = relaxedCounter;
      problems.push(...relaxed.fixes.map((fix): ContentProblem => ({
        code: 'sloppy-yaml', severity: 'warning', line: yamlLine + fix.line - 1, column: fix.column, field: null,
        message: `${fix.message}; Jekyll accepts it, strict YAML parsers do not`,
        hint: 'Indent continuation lines of a quoted value deeper than its key, or use a block scalar (excerpt: >-).',
      })));
    }
  }
  for (const error of document.errors) {
    const pos = lineCounter.linePos(error.pos[0]);
    problems.push({
      code: 'yaml-syntax', severity: 'error', line: yamlLine + pos.line - 1, column: pos.col, field: null,
      message: `front matter is not valid YAML: ${firstLine(error.message)}`,
      hint: 'Check indentation and quoting on this line; quote values that contain ": " or start with a special character.',
    });
  }
  if (document.errors.length > 0) return { ...empty, document, lineCounter };
  for (const warning of document.warnings) {
    const pos = lineCounter.linePos(warning.pos[0]);
    problems.push({
      code: 'yaml-warning', severity: 'warning', line: yamlLine + pos.line - 1, column: pos.col, field: null,
      message: `front matter: ${firstLine(warning.message)}; the value is read as plain data`,
      hint: 'Remove the tag (!!...): front matter is data, never code.',
    });
  }

  if (collectionDepth(document) > contentLimits.maxYamlDepth) {
    problems.push(depthProblem(yamlLine));
    return { ...empty, document, lineCounter };
  }

  problems.push(...duplicateKeyProblems(document, lineCounter, yamlLine, new Set(options.strictKeys), repeated));
  problems.push(...unsafeKeyProblems(document, lineCounter, yamlLine));

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: contentLimits.maxYamlAliases });
  } catch (error) {
    problems.push({
      code: 'yaml-aliases', severity: 'error', line: yamlLine, column: 1, field: null,
      message: `front matter could not be read: ${firstLine((error as Error).message)}`,
      hint: `Use at most ${contentLimits.maxYamlAliases} aliases (*name) and no alias loops.`,
    });
    return { ...empty, document, lineCounter };
  }
  if (value === null || value === undefined) return { ...empty, document, lineCounter };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({
      code: 'front-matter-not-a-map', severity: 'error', line: yamlLine, column: 1, field: null,
      message: 'front matter must be a set of key: value pairs',
      hint: 'Write one "key: value" per line between the --- fences.',
    });
    return { ...empty, document, lineCounter };
  }
  return { data: value as Record<string, unknown>, document, lineCounter, yamlLine, problems, repeated };
}

function parseYaml(text: string, lineCounter: LineCounter): Document {
  return parseDocument(text, {
    ...JEKYLL_YAML,
    uniqueKeys: false,
    lineCounter,
    prettyErrors: false,
    strict: false,
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function depthProblem(line: number): ContentProblem {
  return {
    code: 'front-matter-too-deep', severity: 'error', line, column: 1, field: null,
    message: `front matter nests deeper than ${contentLimits.maxYamlDepth} levels`,
    hint: 'Flatten the structure; front matter is for page settings, not data sets.',
  };
}

/** Flow-collection depth found without parsing, so a `[[[[…` bomb never reaches the parser. */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const char of text) {
    if (char === '[' || char === '{') max = Math.max(max, ++depth);
    else if ((char === ']' || char === '}') && depth > 0) depth--;
  }
  return max;
}

function collectionDepth(document: Document): number {
  let max = 0;
  visit(document, {
    Map: (_key, _node, path) => void (max = Math.max(max, path.filter((n) => isMap(n) || isSeq(n)).length + 1)),
    Seq: (_key, _node, path) => void (max = Math.max(max, path.filter((n) => isMap(n) || isSeq(n)).length + 1)),
  });
  return max;
}

/**
 * A repeated key keeps its last value, with a warning, as in Jekyll; a repeated strict key (at
 * the top level) is an error naming every line, and its values are gathered into `repeated`.
 */
function duplicateKeyProblems(
  document: Document, lineCounter: LineCounter, yamlLine: number, strictKeys: ReadonlySet<string>, repeated: Record<string, unknown[]>,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const positionOf = (pair: Pair) => {
    const pos = lineCounter.linePos((pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0);
    return { line: yamlLine + pos.line - 1, column: pos.col };
  };
  visit(document, {
    Map(_key, map) {
      const seen = new Map<string, Pair[]>();
      for (const pair of map.items) {
        const key = keyOf(pair);
        const earlier = seen.get(key);
        seen.set(key, [...(earlier ?? []), pair]);
        if (!earlier || (map === document.contents && strictKeys.has(key))) continue;
        problems.push({
          code: 'duplicate-key', severity: 'warning', ...positionOf(pair), field: key,
          message: `${key} is set twice; the last value wins (as in Jekyll)`,
          hint: `Delete the ${key} line you do not mean.`,
        });
      }
      if (map !== document.contents) return;
      for (const [key, pairs] of seen) {
        if (pairs.length < 2 || !strictKeys.has(key)) continue;
        const lines = pairs.map((pair) => positionOf(pair).line);
        repeated[key] = pairs.map((pair) => (isScalar(pair.value) ? pair.value.value : (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null));
        problems.push({
          code: 'duplicate-visibility-key', severity: 'error', ...positionOf(pairs[1]), field: key,
          message: `${key} is set ${pairs.length} times (lines ${lines.join(' and ')}); it decides whether the page is public, so the page is public only if every one of them says so`,
          hint: `Keep one ${key} line: the one you mean.`,
        });
      }
    },
  });
  return problems;
}

/** Drops `__proto__`, `constructor` and `prototype` keys at every depth, each with a warning at its line. */
function unsafeKeyProblems(document: Document, lineCounter: LineCounter, yamlLine: number): ContentProblem[] {
  return removeUnsafeKeys(document).map(({ path, offset }): ContentProblem => {
    const key = String(path.at(-1));
    const pos = lineCounter.linePos(offset);
    return {
      code: 'unsafe-key', severity: 'warning', line: yamlLine + pos.line - 1, column: pos.col, field: key,
      message: `the key ${key} is dropped: code that reads front matter could take it for the object's own ${key}`,
      hint: `Rename the key; ${key} is never served, at any depth.`,
    };
  });
}
