import { asciiAlpha, asciiAlphanumeric, markdownLineEnding, markdownSpace } from 'micromark-util-character';
import { codes, types } from 'micromark-util-symbol';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

/**
 * Elements kramdown reads as span-level: a line starting with one of them starts a paragraph,
 * not an HTML block (kramdown's HTML_SPAN_ELEMENTS).
 */
const SPAN_ELEMENTS = new Set([
  'a',
  'abbr',
  'acronym',
  'b',
  'big',
  'bdo',
  'br',
  'button',
  'cite',
  'code',
  'del',
  'dfn',
  'em',
  'i',
  'img',
  'input',
  'ins',
  'kbd',
  'label',
  'mark',
  'option',
  'q',
  'rb',
  'rbc',
  'rp',
  'rt',
  'rtc',
  'ruby',
  'samp',
  'select',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
]);
/** Elements that never have a body (kramdown's HTML_ELEMENTS_WITHOUT_BODY). */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'command',
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
/** Whether an element never has a body (`<hr>`, `<img>`…), as kramdown lists them. */
export function isVoidElement(name: string): boolean {
  return VOID_ELEMENTS.has(name.toLowerCase());
}

/** Elements whose content kramdown parses as blocks under `markdown="1"` (HTML_CONTENT_MODEL_BLOCK). */
const BLOCK_CONTENT_ELEMENTS = new Set([
  'address',
  'applet',
  'article',
  'aside',
  'blockquote',
  'body',
  'dd',
  'details',
  'div',
  'dl',
  'fieldset',
  'figure',
  'figcaption',
  'footer',
  'form',
  'header',
  'hgroup',
  'iframe',
  'li',
  'main',
  'map',
  'menu',
  'nav',
  'noscript',
  'object',
  'section',
  'summary',
  'td',
]);
/** `markdown="1"` (on an element with block content) or `markdown="block"`: the content is markdown blocks. */
const MARKDOWN_BLOCKS = /\smarkdown\s*=\s*(["']?)(1|block)(?=[\s/>]|$)/i;
/** Elements whose body is text, where a tag-looking string is not a tag. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style']);

/**
 * kramdown's block-level HTML as a micromark flow construct, in place of CommonMark's HTML
 * blocks. A line starting (up to three spaces in) with a tag that is not a span element opens a
 * block that runs to the tag's matching closing tag, across blank lines and whatever the lines
 * hold (indented lines are HTML, not code), and ends with the line of that closing tag: the next
 * line is markdown again, even without a blank line between. Under `markdown="1"` (on an element
 * whose content is blocks, such as `div`) or `markdown="block"` the block is the start tag's line
 * alone, and its content is markdown up to the closing tag, as in kramdown. A comment runs to its `-->`, a
 * closing tag or an empty element (`<hr>`, `<x/>`) is a block of its own line. A block that is
 * never closed runs to the end of its container, as kramdown's does. Nesting is counted for the
 * block's own tag name (kramdown keeps a stack of every element; well-formed HTML ends the same).
 * The tokens are CommonMark's own (`htmlFlow`), so mdast gets `html` nodes as before.
 */
export const kramdownHtmlFlow: Construct = { name: 'kramdownHtmlFlow', concrete: true, tokenize: tokenizeKramdownHtmlFlow };

/** The micromark extension: kramdown's HTML blocks replace CommonMark's. */
export function kramdownHtml(): Extension {
  return { flow: { [codes.lessThan]: kramdownHtmlFlow }, disable: { null: ['htmlFlow'] } };
}

const nonLazyLine: Construct = { partial: true, tokenize: tokenizeNonLazyLine };

/** Where the scanner is inside the block's body. */
type Scan =
  | 'data'
  | 'lessThan'
  | 'bang'
  | 'bangDash'
  | 'comment'
  | 'commentDash'
  | 'commentDashDash'
  | 'startName'
  | 'inTag'
  | 'doubleQuoted'
  | 'singleQuoted'
  | 'endName'
  | 'endTail'
  | 'rest';

function tokenizeKramdownHtmlFlow(effects: Effects, ok: State, nok: State): State {
  let name = '';
  let closing = false;
  /** The block's element (lower case); '' for a comment. */
  let root = '';
  let depth = 0;
  let scan: Scan = 'data';
  let buffer = '';
  let slashBeforeGreater = false;
  /** Whether the tag being scanned is one of the block's own element (it counts for nesting). */
  let tagIsRoot = false;
  /** Whether an `htmlFlowData` token is open (not on an empty line). */
  let inData = true;
  /** The block's own start tag as written, until its `>`. */
  let rootTag = '';

  return start;

  function start(code: Code): State | undefined {
    if (code !== codes.lessThan) return nok(code);
    effects.enter(types.htmlFlow);
    effects.enter(types.htmlFlowData);
    effects.consume(code);
    return open;
  }

  function open(code: Code): State | undefined {
    if (code === codes.exclamationMark) {
      effects.consume(code);
      return commentOpen;
    }
    if (code === codes.slash) {
      effects.consume(code);
      closing = true;
      return tagNameStart;
    }
    return tagNameStart(code);
  }

  function commentOpen(code: Code): State | undefined {
    if (code !== codes.dash) return nok(code);
    effects.consume(code);
    return commentOpenDash;
  }

  function commentOpenDash(code: Code): State | undefined {
    if (code !== codes.dash) return nok(code);
    effects.consume(code);
    scan = 'comment';
    return body;
  }

  function tagNameStart(code: Code): State | undefined {
    if (!asciiAlpha(code)) return nok(code);
    return tagName(code);
  }

  function tagName(code: Code): State | undefined {
    if (isNameCharacter(code)) {
      name += String.fromCharCode(code!);
      effects.consume(code);
      return tagName;
    }
    const lower = name.toLowerCase();
    // A span element at the start of a line starts a paragraph in kramdown.
    if (SPAN_ELEMENTS.has(lower)) return nok(code);
    if (closing) return closingTagTail(code);
    if (code !== codes.greaterThan && code !== codes.slash && !markdownSpace(code) && !markdownLineEnding(code)) return nok(code);
    root = lower;
    scan = 'inTag';
    tagIsRoot = true;
    return body(code);
  }

  /** `</name   >`: a closing tag alone is a block of its own line. */
  function closingTagTail(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code);
      return closingTagTail;
    }
    if (code !== codes.greaterThan) return nok(code);
    effects.consume(code);
    scan = 'rest';
    return body;
  }

  /** Inside the block: one character at a time, through a small HTML scanner that counts the block's own tags. */
  function body(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) {
      if (inData) effects.exit(types.htmlFlowData);
      inData = false;
      if (code === codes.eof || scan === 'rest') return done(code);
      return effects.check(nonLazyLine, lineEnding, done)(code);
    }
    if (!inData) {
      effects.enter(types.htmlFlowData);
      inData = true;
    }
    const reprocess = step(code);
    if (reprocess) return body(code);
    effects.consume(code);
    return body;
  }

  function lineEnding(code: Code): State | undefined {
    effects.enter(types.lineEnding);
    effects.consume(code);
    effects.exit(types.lineEnding);
    return body;
  }

  function done(code: Code): State | undefined {
    effects.exit(types.htmlFlow);
    return ok(code);
  }

  /** Advances the scanner by one character; true when the character must be looked at again in the new state. */
  function step(code: Code): boolean {
    const character = String.fromCharCode(code!);
    switch (scan) {
      case 'data':
        if (code === codes.lessThan) scan = 'lessThan';
        return false;
      case 'lessThan':
        buffer = '';
        if (code === codes.slash) scan = 'endName';
        else if (code === codes.exclamationMark) scan = 'bang';
        else if (asciiAlpha(code) && !RAW_TEXT_ELEMENTS.has(root)) {
          scan = 'startName';
          return true;
        } else {
          scan = 'data';
          return true;
        }
        return false;
      case 'bang':
        scan = code === codes.dash ? 'bangDash' : 'data';
        return false;
      case 'bangDash':
        scan = code === codes.dash ? 'comment' : 'data';
        return false;
      case 'comment':
        if (code === codes.dash) scan = 'commentDash';
        return false;
      case 'commentDash':
        scan = code === codes.dash ? 'commentDashDash' : 'comment';
        return false;
      case 'commentDashDash':
        if (code === codes.greaterThan) scan = root === '' ? 'rest' : 'data';
        else if (code !== codes.dash) scan = 'comment';
        return false;
      case 'startName':
        if (isNameCharacter(code)) {
          buffer += character;
          return false;
        }
        tagIsRoot = buffer.toLowerCase() === root;
        slashBeforeGreater = false;
        scan = 'inTag';
        return true;
      case 'inTag':
        if (tagIsRoot && depth === 0) rootTag += character;
        if (code === codes.quotationMark) scan = 'doubleQuoted';
        else if (code === codes.apostrophe) scan = 'singleQuoted';
        else if (code === codes.greaterThan) closeStartTag();
        else if (!markdownSpace(code)) slashBeforeGreater = code === codes.slash;
        return false;
      case 'doubleQuoted':
        if (tagIsRoot && depth === 0) rootTag += character;
        if (code === codes.quotationMark) scan = 'inTag';
        return false;
      case 'singleQuoted':
        if (tagIsRoot && depth === 0) rootTag += character;
        if (code === codes.apostrophe) scan = 'inTag';
        return false;
      case 'endName':
        if (isNameCharacter(code)) {
          buffer += character;
          return false;
        }
        scan = buffer.toLowerCase() === root ? 'endTail' : 'data';
        return true;
      case 'endTail':
        if (markdownSpace(code)) return false;
        if (code === codes.greaterThan) {
          depth -= 1;
          scan = depth === 0 ? 'rest' : 'data';
          return false;
        }
        scan = 'data';
        return true;
      case 'rest':
        return false;
    }
  }

  function closeStartTag(): void {
    scan = 'data';
    if (!tagIsRoot) return;
    tagIsRoot = false;
    // The block's own start tag: an empty element ends the block with its line.
    if (depth === 0 && (slashBeforeGreater || VOID_ELEMENTS.has(root))) {
      scan = 'rest';
      return;
    }
    // Content that kramdown parses as markdown blocks: the block is the start tag's line, its
    // content is parsed as markdown (where HTML-looking text in code is not HTML) up to the
    // closing tag, a block of its own line (remarkKramdownIal renders it, rehype-raw joins the tags).
    const markdownBlocks = MARKDOWN_BLOCKS.exec(rootTag);
    if (depth === 0 && markdownBlocks && (markdownBlocks[2].toLowerCase() === 'block' || BLOCK_CONTENT_ELEMENTS.has(root))) {
      scan = 'rest';
      return;
    }
    if (!slashBeforeGreater) depth += 1;
  }
}

function isNameCharacter(code: Code): boolean {
  return asciiAlphanumeric(code) || code === codes.dash || code === codes.colon || code === codes.underscore || code === codes.dot;
}

/** At a line ending: whether the next line still belongs to the block's container (not a lazy line). */
function tokenizeNonLazyLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this;
  return function start(code: Code) {
    effects.enter(types.lineEnding);
    effects.consume(code);
    effects.exit(types.lineEnding);
    return (next: Code) => (self.parser.lazy[self.now().line] ? nok(next) : ok(next));
  };
}
