/**
 * Jekyll reads YAML with Ruby's Psych (libyaml), which does not check how far
 * the continuation lines of a flow node (a quoted string, or a `[...]`/`{...}`
 * collection spanning lines) are indented. YAML 1.2, and so the `yaml`
 * package, requires them to be indented deeper than the key that owns the
 * node. Real front matter is full of multi-line `excerpt: "..."` strings whose
 * continuation lines start at the key's column or at column 0, so this module
 * re-indents those lines — and only those — before the text is parsed.
 *
 * The rewrite only prepends spaces to lines inside an open flow node. Leading
 * white space on a continuation line is folded away by both parsers, so the
 * parsed value is the one Psych would give, and the line count never changes.
 */

/** One line-preserving repair made by {@link relaxJekyllYaml}. */
export interface YamlRelaxation {
  /** 1-based line (in the given source) of the first re-indented line. */
  line: number;
  /** 1-based column where that line's text started before the repair. */
  column: number;
  /** Stable kebab-case code: `quoted-scalar-under-indented` or `flow-collection-under-indented`. */
  code: 'quoted-scalar-under-indented' | 'flow-collection-under-indented';
  message: string;
}

/** The repaired source and the list of repairs. */
export interface RelaxedYaml {
  /** Same number of lines as the input; only re-indented lines differ. */
  source: string;
  fixes: YamlRelaxation[];
}

/** Where a flow node that started on an earlier line ends. */
interface FlowNodeEnd {
  line: number;
  column: number;
}

/** What the scanner expects of the next lines. */
type ScanMode =
  | { kind: 'block' }
  /** Lines indented deeper than `parentIndent` belong to a `|` or `>` scalar. */
  | { kind: 'block-scalar'; parentIndent: number }
  /** Lines indented deeper than `parentIndent` continue a plain scalar. */
  | { kind: 'plain-scalar'; parentIndent: number };

const SEQUENCE_INDICATOR = /^-(?= |$)/;
const PLAIN_KEY = /^([^\s#'"[\]{}|>&!*%@`,?-]|[?-](?=\S))(?:[^#]*?[^\s])?? *:(?= |$)/;
const NODE_PROPERTY = /^[!&]\S* +/;

/**
 * Rewrites YAML so that the `yaml` package reads it the way Jekyll (Psych)
 * does, keeping every line where it was.
 *
 * Duplicate keys are deliberately left alone: parse with `uniqueKeys: false`
 * to get Psych's "last one wins".
 */
export function relaxJekyllYaml(source: string): RelaxedYaml {
  const lines = source.split('\n');
  const fixes: YamlRelaxation[] = [];
  /** Columns of the keys and `-` indicators that enclose the current line. */
  const ancestors: number[] = [];
  let mode: ScanMode = { kind: 'block' };

  let index = 0;
  while (index < lines.length) {
    const text = stripCarriageReturn(lines[index]);
    const indent = leadingSpaces(text);
    const content = text.slice(indent);

    if (content === '' || content.startsWith('#')) {
      index += 1;
      continue;
    }
    if (mode.kind !== 'block' && indent > mode.parentIndent) {
      index += 1;
      continue;
    }
    mode = { kind: 'block' };

    while (ancestors.length > 0 && ancestors[ancestors.length - 1] >= indent) ancestors.pop();
    let owner = ancestors.length > 0 ? ancestors[ancestors.length - 1] : -1;
    let column = indent;

    // `- - key: value`: every indicator opens a nested node.
    while (SEQUENCE_INDICATOR.test(text.slice(column))) {
      ancestors.push(column);
      owner = column;
      column = skipSpaces(text, column + 1);
    }

    const keyEnd = implicitKeyEnd(text, column);
    if (keyEnd !== null) {
      ancestors.push(column);
      owner = column;
      column = skipSpaces(text, keyEnd);
    }

    let property = NODE_PROPERTY.exec(text.slice(column));
    while (property) {
      column += property[0].length;
      property = NODE_PROPERTY.exec(text.slice(column));
    }

    const first = text[column];
    if (first === undefined || first === '#') {
      index += 1;
    } else if (first === '|' || first === '>') {
      mode = { kind: 'block-scalar', parentIndent: owner };
      index += 1;
    } else if (first === '"' || first === "'" || first === '[' || first === '{') {
      const end = findFlowNodeEnd(lines, index, column);
      if (end === null || end.line === index) {
        index += 1;
        continue;
      }
      const fix = reindentContinuation(lines, index, end.line, owner + 1, first);
      if (fix) fixes.push(fix);
      index = end.line + 1;
    } else {
      mode = { kind: 'plain-scalar', parentIndent: owner };
      index += 1;
    }
  }

  return { source: lines.join('\n'), fixes };
}

/**
 * Indents the continuation lines `start+1..end` that sit at or left of the
 * owning key to `required` spaces. Returns the repair, or null if none was
 * needed.
 */
function reindentContinuation(lines: string[], start: number, end: number, required: number, opener: string): YamlRelaxation | null {
  const changed: number[] = [];
  for (let index = start + 1; index <= end; index += 1) {
    const bare = stripCarriageReturn(lines[index]);
    const indent = leadingSpaces(bare);
    if (bare.slice(indent).trim() === '' || indent >= required) continue;
    // A document marker ends the document for Psych too; that is an error, not a repair.
    if (indent === 0 && /^(---|\.\.\.)(\s|$)/.test(bare)) return null;
    changed.push(index);
  }
  if (changed.length === 0) return null;
  const firstColumn = leadingSpaces(lines[changed[0]]) + 1;
  for (const index of changed) lines[index] = ' '.repeat(required - leadingSpaces(lines[index])) + lines[index];

  const quoted = opener === '"' || opener === "'";
  const what = opener === '"' ? 'double-quoted string' : opener === "'" ? 'single-quoted string' : 'flow collection';
  const count = changed.length === 1 ? 'a continuation line' : `${changed.length} continuation lines`;
  return {
    line: changed[0] + 1,
    column: firstColumn,
    code: quoted ? 'quoted-scalar-under-indented' : 'flow-collection-under-indented',
    message:
      `${count} of a multi-line ${what} ${changed.length === 1 ? 'is' : 'are'} indented less than ` +
      `${required} space${required === 1 ? '' : 's'}, not deeper than the key ${changed.length === 1 ? 'it belongs' : 'they belong'} to; ` +
      `Jekyll accepts this, strict YAML does not, so the value was read as Jekyll reads it.`,
  };
}

/**
 * If an implicit key (`key:` or `"quoted key":`) starts at `column`, returns
 * the column just after its colon.
 */
function implicitKeyEnd(text: string, column: number): number | null {
  const rest = text.slice(column);
  const first = rest[0];
  if (first === '"' || first === "'") {
    const close = closingQuoteOnLine(rest, 0);
    if (close === -1) return null;
    const after = /^ *:(?= |$)/.exec(rest.slice(close + 1));
    return after ? column + close + 1 + after[0].length : null;
  }
  const key = PLAIN_KEY.exec(rest);
  return key ? column + key[0].length : null;
}

/** Index of the quote closing the quoted scalar that opens at `start`, or -1. */
function closingQuoteOnLine(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i += 1) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i += 1;
      else return i;
    }
  }
  return -1;
}

/**
 * Finds where the flow node (quoted scalar or flow collection) opening at
 * `lines[line][column]` ends, following quotes, escapes and nesting across
 * lines. Returns null when the input ends first.
 */
function findFlowNodeEnd(lines: string[], line: number, column: number): FlowNodeEnd | null {
  let depth = 0;
  let quote: string | null = null;
  let previous = ' ';
  for (let l = line; l < lines.length; l += 1) {
    const text = lines[l];
    for (let c = l === line ? column : 0; c < text.length; c += 1) {
      const ch = text[c];
      if (quote === '"') {
        if (ch === '\\') c += 1;
        else if (ch === '"') quote = null;
      } else if (quote === "'") {
        if (ch === "'") {
          if (text[c + 1] === "'") c += 1;
          else quote = null;
        }
      } else if ((ch === '"' || ch === "'") && /[\s[{,:]/.test(previous)) {
        quote = ch;
      } else if (ch === '[' || ch === '{') {
        depth += 1;
      } else if (ch === ']' || ch === '}') {
        depth -= 1;
      } else if (ch === '#' && /\s/.test(previous)) {
        break;
      }
      if (quote === null && depth <= 0 && !(ch === ' ' || ch === '\t')) return { line: l, column: c };
      previous = ch;
    }
    previous = ' ';
  }
  return null;
}

function leadingSpaces(text: string): number {
  let count = 0;
  while (text[count] === ' ') count += 1;
  return count;
}

function skipSpaces(text: string, column: number): number {
  let at = column;
  while (text[at] === ' ') at += 1;
  return at;
}

function stripCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
