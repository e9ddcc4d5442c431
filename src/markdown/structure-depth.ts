/**
 * A linear pre-scan for nesting deep enough to make the markdown parser slow or to overflow the
 * stack of the tree utilities after it (thousands of nested lists, quotes, HTML elements,
 * emphasis delimiters or link brackets in a small file). It does not parse markdown: it
 * over-approximates nesting with counters, one pass over the characters, no regular expressions,
 * so its own cost is bounded whatever the input. Content of fenced code blocks is not counted.
 */

/** Where nesting first went past the cap. */
export interface ExcessiveNesting {
  /** 1-based line in the body. */
  line: number;
  /** 1-based column (in characters) of the marker, tag or delimiter that went past the cap. */
  column: number;
  structure: 'list' | 'blockquote' | 'html' | 'emphasis' | 'link';
  /** The nesting depth reached there. */
  depth: number;
}

/** Elements that never contain anything, so never nest. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements whose end tag may be left out: a new one closes the open one, as in HTML (`<li>a<li>b`). */
const OPTIONAL_END_ELEMENTS = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'colgroup',
  'rb',
  'rt',
  'rp',
  'rtc',
]);
/** Elements whose content is text, not tags, up to their end tag. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title']);

const TAB = 9;
const SPACE = 32;
const BANG = 33;
const QUOTE = 34;
const APOSTROPHE = 39;
const RIGHT_PAREN = 41;
const STAR = 42;
const PLUS = 43;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const LESS = 60;
const GREATER = 62;
const LEFT_BRACKET = 91;
const BACKSLASH = 92;
const RIGHT_BRACKET = 93;
const UNDERSCORE = 95;
const BACKTICK = 96;
const TILDE = 126;

/** Everything the scan carries from one line to the next. */
interface ScanState {
  maxDepth: number;
  /** Content column of each open list item, innermost last. */
  listItems: number[];
  /** Names of the open HTML elements, innermost last. */
  elements: string[];
  /** Open fenced code block. */
  fence: { marker: number; length: number } | null;
  /** Inside `<!-- … -->`. */
  inComment: boolean;
  /** Inside a tag's attributes that go on past the end of a line. */
  openTag: { name: string; closing: boolean; quote: number } | null;
  /** Inside `<script>`, `<style>`…: the element whose end tag ends the raw text. */
  rawText: string | null;
  /** Emphasis delimiters that opened and did not close yet, in this paragraph. */
  emphasis: number;
  /** Link brackets open in this paragraph. */
  brackets: number;
  previousBlank: boolean;
  previousIndentedCode: boolean;
}

/**
 * Finds the first place where lists, block quotes, HTML elements, emphasis or link brackets nest
 * more than `maxDepth` levels, or `null` when none does. One pass, linear in the length of `body`.
 * Real pages nest a handful of levels; the default is of the order of markdown-it's `maxNesting`.
 */
export function findExcessiveNesting(body: string, maxDepth = 100): ExcessiveNesting | null {
  const state: ScanState = {
    maxDepth,
    listItems: [],
    elements: [],
    fence: null,
    inComment: false,
    openTag: null,
    rawText: null,
    emphasis: 0,
    brackets: 0,
    previousBlank: true,
    previousIndentedCode: false,
  };
  let start = 0;
  for (let lineNumber = 1; start <= body.length; lineNumber += 1) {
    const newline = body.indexOf('\n', start);
    let end = newline === -1 ? body.length : newline;
    if (end > start && body.charCodeAt(end - 1) === 13) end -= 1;
    const found = scanLine(state, body, start, end);
    if (found) return { line: lineNumber, ...found };
    if (newline === -1) break;
    start = newline + 1;
  }
  return null;
}

type Found = Omit<ExcessiveNesting, 'line'>;

function scanLine(state: ScanState, text: string, start: number, end: number): Found | null {
  if (state.fence) {
    if (closesFence(state.fence, text, start, end)) state.fence = null;
    return null;
  }
  let at = start;
  let column = 0;
  let quotes = 0;
  const breakAfter = thematicBreakStarts(text, start, end);
  // Container prefix: quote markers and list markers, each one level deeper.
  for (;;) {
    while (at < end && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) {
      column += text.charCodeAt(at) === TAB ? 4 - (column % 4) : 1;
      at += 1;
    }
    if (at === end) break;
    const code = text.charCodeAt(at);
    if (code === GREATER) {
      quotes += 1;
      if (quotes + state.listItems.length > state.maxDepth) {
        return { column: at - start + 1, structure: 'blockquote', depth: quotes + state.listItems.length };
      }
      at += 1;
      column += 1;
      if (at < end && text.charCodeAt(at) === SPACE) {
        at += 1;
        column += 1;
      }
      continue;
    }
    const markerEnd = listMarkerEnd(text, at, end, breakAfter);
    if (markerEnd === -1) break;
    const parentContent = state.listItems.length > 0 ? state.listItems[state.listItems.length - 1] : 0;
    // Four columns past the enclosing content is an indented code block, not a list item.
    if (column >= parentContent + 4) break;
    while (state.listItems.length > 0 && column < state.listItems[state.listItems.length - 1]) state.listItems.pop();
    const markerColumn = column + (markerEnd - at);
    let spaces = 0;
    let after = markerEnd;
    while (after < end && spaces < 5 && text.charCodeAt(after) === SPACE) {
      after += 1;
      spaces += 1;
    }
    state.listItems.push(markerColumn + (spaces === 0 || spaces === 5 || after === end ? 1 : spaces));
    const depth = quotes + state.listItems.length;
    if (depth > state.maxDepth) return { column: at - start + 1, structure: 'list', depth };
    column = markerColumn + 1;
    at = Math.min(markerEnd + 1, end);
  }

  const blank = at === end;
  const content = state.listItems.length > 0 ? state.listItems[state.listItems.length - 1] : 0;
  const indentedCode = !blank && column >= content + 4 && (state.previousBlank || state.previousIndentedCode) && quotes === 0;
  state.previousIndentedCode = indentedCode;
  state.previousBlank = blank;
  if (blank) {
    // Emphasis and links never run past the end of a paragraph.
    state.emphasis = 0;
    state.brackets = 0;
    return null;
  }
  if (indentedCode) return null;
  // A paragraph line left of the innermost list content ends those list items.
  if (column < content && state.openTag === null && !state.inComment) {
    while (state.listItems.length > 0 && column < state.listItems[state.listItems.length - 1]) state.listItems.pop();
  }
  const fence = opensFence(text, at, end);
  if (fence) {
    state.fence = fence;
    return null;
  }
  if (breakAfter <= at) return null;
  return scanInline(state, text, start, at, end);
}

/** The offset from which the rest of the line is a thematic break (`* * *`, `---`, `___`), or `end + 1`. */
function thematicBreakStarts(text: string, start: number, end: number): number {
  let marker = 0;
  let count = 0;
  let at = end;
  while (at > start) {
    const code = text.charCodeAt(at - 1);
    if (code === SPACE || code === TAB) {
      at -= 1;
      continue;
    }
    if (code !== STAR && code !== DASH && code !== UNDERSCORE) break;
    if (marker !== 0 && code !== marker) break;
    marker = code;
    count += 1;
    at -= 1;
  }
  return count >= 3 ? at : end + 1;
}

/** The offset just past a list marker (`-`, `*`, `+`, `1.`, `1)`) at `at`, or -1 when there is none. */
function listMarkerEnd(text: string, at: number, end: number, breakAfter: number): number {
  const code = text.charCodeAt(at);
  let after: number;
  if (code === DASH || code === STAR || code === PLUS) {
    if (at >= breakAfter) return -1;
    after = at + 1;
  } else {
    let digits = 0;
    while (at + digits < end && digits < 10 && isDigit(text.charCodeAt(at + digits))) digits += 1;
    if (digits === 0 || digits > 9) return -1;
    const delimiter = text.charCodeAt(at + digits);
    if (delimiter !== DOT && delimiter !== RIGHT_PAREN) return -1;
    after = at + digits + 1;
  }
  if (after > end) return -1;
  const next = after === end ? SPACE : text.charCodeAt(after);
  return next === SPACE || next === TAB ? after : -1;
}

function opensFence(text: string, at: number, end: number): ScanState['fence'] {
  const marker = text.charCodeAt(at);
  if (marker !== BACKTICK && marker !== TILDE) return null;
  let length = 0;
  while (at + length < end && text.charCodeAt(at + length) === marker) length += 1;
  if (length < 3) return null;
  // A backtick fence's info string has no backtick (else the line is inline code).
  if (marker === BACKTICK) {
    const backtick = text.indexOf('`', at + length);
    if (backtick !== -1 && backtick < end) return null;
  }
  return { marker, length };
}

function closesFence(fence: NonNullable<ScanState['fence']>, text: string, start: number, end: number): boolean {
  let at = start;
  // Fences inside quotes and list items: skip the container prefix.
  while (at < end) {
    const code = text.charCodeAt(at);
    if (code !== SPACE && code !== TAB && code !== GREATER) break;
    at += 1;
  }
  let length = 0;
  while (at < end && text.charCodeAt(at) === fence.marker) {
    length += 1;
    at += 1;
  }
  if (length < fence.length) return false;
  while (at < end && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at += 1;
  return at === end;
}

// ─── inline content: code spans, HTML tags, emphasis, link brackets ─────────

function scanInline(state: ScanState, text: string, lineStart: number, from: number, end: number): Found | null {
  const closingRun = matchCodeSpans(text, from, end);
  let at = from;
  while (at < end) {
    if (state.inComment) {
      const close = text.indexOf('-->', at);
      if (close === -1 || close + 3 > end) return null;
      state.inComment = false;
      at = close + 3;
      continue;
    }
    if (state.rawText !== null) {
      const close = indexOfEndTag(text, state.rawText, at, end);
      if (close === -1) return null;
      const open = state.elements.lastIndexOf(state.rawText);
      if (open !== -1) state.elements.length = open;
      state.rawText = null;
      at = close;
      continue;
    }
    if (state.openTag) {
      const tag = continueTag(state, text, lineStart, at, end);
      if (tag.found) return tag.found;
      at = tag.next;
      continue;
    }
    const code = text.charCodeAt(at);
    if (code === BACKSLASH) {
      at += 2;
    } else if (code === BACKTICK) {
      let run = 1;
      while (at + run < end && text.charCodeAt(at + run) === BACKTICK) run += 1;
      const close = closingRun.get(at);
      at = close === undefined ? at + run : close + run;
    } else if (code === LESS) {
      const tag = startTag(state, text, lineStart, at, end);
      if (tag.found) return tag.found;
      at = tag.next;
    } else if (code === LEFT_BRACKET || (code === BANG && text.charCodeAt(at + 1) === LEFT_BRACKET && at + 1 < end)) {
      at += code === BANG ? 1 : 0;
      state.brackets += 1;
      if (state.brackets > state.maxDepth) return { column: at - lineStart + 1, structure: 'link', depth: state.brackets };
      at += 1;
    } else if (code === RIGHT_BRACKET) {
      if (state.brackets > 0) state.brackets -= 1;
      at += 1;
    } else if (code === STAR || code === UNDERSCORE) {
      let run = 1;
      while (at + run < end && text.charCodeAt(at + run) === code) run += 1;
      const found = delimiterRun(state, text, lineStart, from, at, at + run, end);
      if (found) return found;
      at += run;
    } else {
      at += 1;
    }
  }
  return null;
}

/**
 * For each backtick run that opens a code span on this line, the offset of the run that closes it
 * (the next run of the same length). Built right to left in one pass.
 */
function matchCodeSpans(text: string, from: number, end: number): Map<number, number> {
  const runs: [offset: number, length: number][] = [];
  for (let at = from; at < end;) {
    if (text.charCodeAt(at) === BACKSLASH) {
      at += 2;
      continue;
    }
    if (text.charCodeAt(at) !== BACKTICK) {
      at += 1;
      continue;
    }
    let length = 1;
    while (at + length < end && text.charCodeAt(at + length) === BACKTICK) length += 1;
    runs.push([at, length]);
    at += length;
  }
  const closing = new Map<number, number>();
  if (runs.length < 2) return closing;
  const nextOfLength = new Map<number, number>();
  const nextRun = new Array<number>(runs.length);
  for (let index = runs.length - 1; index >= 0; index -= 1) {
    nextRun[index] = nextOfLength.get(runs[index][1]) ?? -1;
    nextOfLength.set(runs[index][1], index);
  }
  for (let index = 0; index < runs.length;) {
    const next = nextRun[index];
    if (next === -1) {
      index += 1;
      continue;
    }
    closing.set(runs[index][0], runs[next][0]);
    index = next + 1;
  }
  return closing;
}

/** What reading (part of) a tag gave: where to go on from, and the nesting found, if too deep. */
interface TagScan {
  next: number;
  found: Found | null;
}

/** Reads `<name …>`, `</name>` or `<!-- … -->` at `at` (a `<` starting anything else is text). */
function startTag(state: ScanState, text: string, lineStart: number, at: number, end: number): TagScan {
  const next = text.charCodeAt(at + 1);
  if (next === BANG && text.startsWith('<!--', at)) {
    const close = text.indexOf('-->', at + 4);
    if (close !== -1 && close + 3 <= end) return { next: close + 3, found: null };
    state.inComment = true;
    return { next: end, found: null };
  }
  const closing = next === SLASH;
  const nameStart = at + (closing ? 2 : 1);
  if (nameStart >= end || !isLetter(text.charCodeAt(nameStart))) return { next: at + 1, found: null };
  let nameEnd = nameStart + 1;
  while (nameEnd < end && isNameCharacter(text.charCodeAt(nameEnd))) nameEnd += 1;
  const after = nameEnd === end ? SPACE : text.charCodeAt(nameEnd);
  if (after !== SPACE && after !== TAB && after !== GREATER && after !== SLASH) return { next: at + 1, found: null };
  state.openTag = { name: text.slice(nameStart, nameEnd).toLowerCase(), closing, quote: 0 };
  return continueTag(state, text, lineStart, nameEnd, end, at);
}

/**
 * Reads a tag's attributes up to its `>`, which may be on a later line; then opens or closes the
 * element. `tagStart` is the `<`, the position reported.
 */
function continueTag(state: ScanState, text: string, lineStart: number, from: number, end: number, tagStart = from): TagScan {
  const tag = state.openTag!;
  let at = from;
  let previous = 0;
  while (at < end) {
    const code = text.charCodeAt(at);
    if (tag.quote !== 0) {
      if (code === tag.quote) tag.quote = 0;
    } else if (code === QUOTE || code === APOSTROPHE) {
      tag.quote = code;
    } else if (code === GREATER) {
      break;
    }
    if (code !== SPACE && code !== TAB) previous = code;
    at += 1;
  }
  if (at === end) return { next: end, found: null };
  state.openTag = null;
  const scan: TagScan = { next: at + 1, found: null };
  const { name } = tag;
  if (tag.closing) {
    const open = state.elements.lastIndexOf(name);
    if (open !== -1) state.elements.length = open;
    return scan;
  }
  if (VOID_ELEMENTS.has(name) || previous === SLASH) return scan;
  if (OPTIONAL_END_ELEMENTS.has(name)) closeImpliedEnd(state.elements, name);
  state.elements.push(name);
  if (RAW_TEXT_ELEMENTS.has(name)) state.rawText = name;
  if (state.elements.length > state.maxDepth) {
    scan.found = { column: tagStart - lineStart + 1, structure: 'html', depth: state.elements.length };
  }
  return scan;
}

/** `<li>` after an open `<li>` (with only optional-end elements between) closes it, as HTML does. */
function closeImpliedEnd(elements: string[], name: string): void {
  for (let index = elements.length - 1; index >= 0; index -= 1) {
    if (elements[index] === name) {
      elements.length = index;
      return;
    }
    if (!OPTIONAL_END_ELEMENTS.has(elements[index])) return;
  }
}

/** The offset just past `</name…>` on this line, or -1. */
function indexOfEndTag(text: string, name: string, from: number, end: number): number {
  for (let at = text.indexOf('</', from); at !== -1 && at < end; at = text.indexOf('</', at + 2)) {
    if (text.slice(at + 2, at + 2 + name.length).toLowerCase() === name) {
      const close = text.indexOf('>', at);
      return close === -1 || close >= end ? end : close + 1;
    }
  }
  return -1;
}

/**
 * Counts a run of `*` or `_` (CommonMark's flanking rules): one that can close takes its length
 * from the open emphasis when some is open, else one that can open adds it; a run longer than the
 * cap is too deep on its own.
 */
function delimiterRun(
  state: ScanState,
  text: string,
  lineStart: number,
  from: number,
  at: number,
  runEnd: number,
  end: number,
): Found | null {
  const run = runEnd - at;
  const column = at - lineStart + 1;
  if (run > state.maxDepth) return { column, structure: 'emphasis', depth: run };
  const before = at === from ? SPACE : text.charCodeAt(at - 1);
  const after = runEnd === end ? SPACE : text.charCodeAt(runEnd);
  const leftFlanking = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before));
  const rightFlanking = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after));
  // `_` inside a word (snake_case) neither opens nor closes.
  const underscore = text.charCodeAt(at) === UNDERSCORE;
  const canOpen = leftFlanking && (!underscore || !rightFlanking || isPunctuation(before));
  const canClose = rightFlanking && (!underscore || !leftFlanking || isPunctuation(after));
  if (canClose && state.emphasis > 0) {
    state.emphasis = Math.max(0, state.emphasis - run);
  } else if (canOpen) {
    state.emphasis += run;
    if (state.emphasis > state.maxDepth) return { column, structure: 'emphasis', depth: state.emphasis };
  }
  return null;
}

function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB || code === 0xa0;
}

/** ASCII punctuation, as CommonMark's flanking rules use it. */
function isPunctuation(code: number): boolean {
  return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isNameCharacter(code: number): boolean {
  return isLetter(code) || isDigit(code) || code === DASH;
}
