import {
  AssertionError,
  Context,
  Drop,
  ForTag,
  Liquid,
  LiquidError,
  Tag,
  Value,
  type Emitter,
  type Parser,
  type TagToken,
  type Template,
  type TopLevelToken,
  toValue,
} from 'liquidjs';
import type { Component } from '../../schemas/page.ts';
import { contentLimits } from '../content/limits.ts';
import type { ContentProblem } from '../model/problem.ts';
import { kramdownToHtml } from '../markdown/kramdown-html.ts';
import { componentPlaceholder, escapeAttribute, placementOf } from './components.ts';
import { createGistTag } from './gist-tag.ts';

/** Options of {@link createJekyllLiquid}. */
export interface JekyllLiquidOptions {
  /**
   * The site's `_includes/` templates by name (`note.html`, `cards/person.html`), read beforehand
   * through the safe reader: rendering never opens a file. Includes not found here become
   * frontend placeholders.
   */
  includes?: ReadonlyMap<string, string>;
  /** The `site` variable: `_config.yml` values, plus `data` (the `_data/` files) when the caller has them. */
  site: Record<string, unknown>;
  /** The site's plugins we support (see plugins.ts): `jekyll-gist` adds `{% gist %}`, `jekyll-include-cache` adds `{% include_cached %}`. */
  plugins?: ReadonlySet<string>;
}

/** The page a body belongs to. */
export interface JekyllRenderContext {
  /** The `page` variable (front matter plus whatever the caller computes: url, date…). */
  page: Record<string, unknown>;
  /** Overrides the engine's `site` for this page. */
  site?: Record<string, unknown>;
  /** Path of the page, relative to the content folder (names the template in messages). */
  file: string;
}

/**
 * A component left to the frontend: an `{% include %}` whose file is not available, or a
 * `{% gist %}`. Its HTML placeholder (`<div data-include="name.html" data-include-id="…">`)
 * references it by id; its data (params, loop context) is in the page JSON only, once.
 */
export type IncludeComponent = Component;

/** What rendering a body's Liquid produced. */
export interface JekyllRenderResult {
  /** The body with Liquid rendered: markdown with HTML, free of Liquid syntax outside `{% raw %}`. */
  text: string;
  /** The components left to the frontend, in output order, their ids unique in the page. */
  components: Component[];
  /** Problems, with lines relative to the body (the caller adds the front-matter offset and file). */
  warnings: ContentProblem[];
}

/** A Jekyll-compatible Liquid engine for markdown bodies. */
export interface JekyllLiquid {
  /** Renders a body's Liquid. Never throws: problems come back as `warnings`. */
  render(body: string, context: JekyllRenderContext): Promise<JekyllRenderResult>;
}

/** Per-render state, kept in a Context register so concurrent renders never share it. */
interface RenderState {
  components: Component[];
  problems: ContentProblem[];
  loopVariables: string[];
  /** Body line of the include whose file is being rendered, so nested problems point into the body. */
  outerLine?: number;
  depth: number;
  /** Includes evaluated so far, at any depth. */
  includeRenders: number;
  /** Bytes written by Liquid so far, captures included. */
  outputBytes: number;
}

const newRenderState = (): RenderState => ({ components: [], problems: [], loopVariables: [], depth: 0, includeRenders: 0, outputBytes: 0 });

const STATE = 'jekyllRenderState';
const MAX_REPAIRS = 50;
const MAX_INCLUDE_DEPTH = 10;
const MISSING_INCLUDE_HINT = (name: string) =>
  `add _includes/${name} to render it server-side, or render the component in the frontend from data-include`;

/**
 * Builds the Liquid engine Jekyll pages are rendered with: liquidjs in its Jekyll modes
 * (`jekyllInclude`: parameters under `include.*` and unquoted file names; `jekyllWhere`), Jekyll's
 * filters (relative_url, absolute_url, markdownify, smartify, Jekyll's `where` and nil-first `sort`,
 * plus the ones liquidjs already ships: jsonify, slugify, where_exp, group_by, date_to_string,
 * date_to_xmlschema, xml_escape, number_of_words, array_to_sentence_string…), and the `highlight`
 * tag. `{% include %}` renders the site's include of that name when it has one; otherwise it leaves a
 * placeholder element referencing a component (name, every parameter, loop context), and reports
 * `include-missing`. With the site's plugins: `{% include_cached %}` (as `include`) and `{% gist %}`.
 *
 * A tag liquidjs cannot parse or render is removed (its lines kept as blank lines, so line numbers
 * still match the body) and reported as `liquid-syntax`, `liquid-unknown-tag` or `liquid-render`,
 * and the body is rendered again, so no `{%`/`{{` reaches the output except from `{% raw %}`.
 *
 * A page whose Liquid goes past one of `contentLimits.liquid` (template length, time, allocation,
 * include count, output size) is not repaired and rendered again: it gets one `liquid-limit`
 * error and its body is used with every Liquid tag removed, as when Liquid cannot render it at all.
 */
export function createJekyllLiquid(options: JekyllLiquidOptions): JekyllLiquid {
  const timezone = options.site.timezone;
  const liquid = new Liquid({
    jekyllInclude: true,
    jekyllWhere: true,
    // Jekyll's Liquid renders unknown variables and filters as nothing, without failing the page.
    strictFilters: false,
    strictVariables: false,
    ownPropertyOnly: true,
    // No template is ever read from disk by liquidjs itself (`render`, `layout`): `include` takes
    // its templates from the ones read beforehand.
    templates: {},
    timezoneOffset: typeof timezone === 'string' || typeof timezone === 'number' ? timezone : 0,
    parseLimit: contentLimits.liquid.parseLimit,
    renderLimit: contentLimits.liquid.renderLimitMs,
    memoryLimit: contentLimits.liquid.memoryLimit,
  });
  countOutput(liquid);
  registerJekyllFilters(liquid);
  liquid.registerTag('for', JekyllForTag);
  liquid.registerTag('highlight', HighlightTag);
  const includeTag = createIncludeTag(createPartialLoader(liquid, options.includes));
  liquid.registerTag('include', includeTag);
  // jekyll-include-cache caches an include's output across pages; the output is the same as `include`'s.
  if (options.plugins?.has('jekyll-include-cache')) liquid.registerTag('include_cached', includeTag);
  if (options.plugins?.has('jekyll-gist')) liquid.registerTag('gist', createGistTag(recordComponent));

  return {
    async render(body, context) {
      const repairs: ContentProblem[] = [];
      const scope = { page: context.page, site: context.site ?? options.site, jekyll: { environment: 'production' } };
      let source = body;
      // One time budget for the page, whatever the number of repair attempts.
      let renderLimit: Context['renderLimit'] | undefined;
      for (let attempt = 0; attempt <= MAX_REPAIRS; attempt += 1) {
        const state = newRenderState();
        try {
          const templates = liquid.parse(source, context.file);
          const ctx = new Context(scope, liquid.options, {}, { liquid, renderLimit });
          renderLimit = ctx.renderLimit;
          ctx.setRegister(STATE, state);
          const text = String(await liquid.render(templates, ctx));
          return { text, components: state.components, warnings: inBodyOrder([...repairs, ...state.problems]) };
        } catch (error) {
          const limit = liquidLimitOf(error);
          if (limit) {
            return { text: withoutLiquid(body), components: [], warnings: inBodyOrder([...repairs, limitProblem(limit, error, source)]) };
          }
          const repair = repairAt(source, error);
          repairs.push(repair.problem);
          if (repair.source === undefined) break;
          source = repair.source;
        }
      }
      return { text: withoutLiquid(source), components: [], warnings: inBodyOrder(repairs) };
    },
  };
}

// ─── repairing bodies liquidjs rejects ───────────────────────────────────────

/** Removes the tag an error points at; `source` is undefined when the error cannot be located. */
function repairAt(source: string, error: unknown): { source?: string; problem: ContentProblem } {
  const reason = errorReason(error);
  const token = LiquidError.is(error) ? (error as LiquidError & { token?: TagToken }).token : undefined;
  if (!token || token.input !== source) {
    return {
      problem: problem('liquid-syntax', 1, 1, `Liquid could not render this page (${reason}); all Liquid tags were removed`,
        'Fix the Liquid syntax; Jekyll would stop the build on this page.'),
    };
  }
  const [line, column] = token.getPosition();
  const { start, end } = enclosingTag(source, token.begin);
  const removed = source.slice(start, end);
  const repaired = source.slice(0, start) + removed.replace(/[^\n]/g, '') + source.slice(end);
  const snippet = JSON.stringify(removed.length > 80 ? `${removed.slice(0, 77)}…` : removed);
  const unknownTag = /^tag "([^"]+)" not found/.exec(reason);
  if (unknownTag?.[1].startsWith('end')) {
    return {
      source: repaired,
      problem: problem('liquid-syntax', line, column, `${snippet} closes a block that was never opened, so it was removed`,
        `Remove it, or add the opening {% ${unknownTag[1].slice(3)} %} tag.`),
    };
  }
  if (unknownTag) {
    return {
      source: repaired,
      problem: problem('liquid-unknown-tag', line, column, `Liquid tag "${unknownTag[1]}" is not available here, so ${snippet} was removed`,
        'Jekyll plugin tags are not supported: remove the tag, or use an include the frontend renders.'),
    };
  }
  const code = error instanceof Error && error.name === 'RenderError' ? 'liquid-render' : 'liquid-syntax';
  return {
    source: repaired,
    problem: problem(code, line, column, `${reason}; ${snippet} was removed from the output`,
      'Fix the Liquid tag (Jekyll would stop the build on it); to show Liquid code literally, wrap it in {% raw %}…{% endraw %}.'),
  };
}

/** The `{% … %}` or `{{ … }}` around an offset; only its opening delimiter when it is never closed. */
function enclosingTag(source: string, offset: number): { start: number; end: number } {
  const tagStart = source.lastIndexOf('{%', offset);
  const outputStart = source.lastIndexOf('{{', offset);
  const start = Math.max(tagStart, outputStart);
  if (start === -1) return { start: offset, end: offset };
  const close = source.indexOf(start === tagStart ? '%}' : '}}', start + 2);
  return { start, end: close === -1 ? start + 2 : close + 2 };
}

function withoutLiquid(source: string): string {
  return source.replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/g, (tag) => tag.replace(/[^\n]/g, '')).replace(/\{[{%]/g, '');
}

function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/(, file:[^\n]*?)?, line:\d+, col:\d+$/, '');
}

function inBodyOrder(problems: ContentProblem[]): ContentProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function problem(code: string, line: number, column: number, message: string, hint: string): ContentProblem {
  return { code, severity: 'warning', line, column, field: null, message, hint };
}

// ─── limits ──────────────────────────────────────────────────────────────────

type LiquidLimit = keyof typeof contentLimits.liquid;

/** A page's Liquid went past one of `contentLimits.liquid`; never repaired, never retried. */
class LiquidLimitError extends Error {
  constructor(
    readonly limit: LiquidLimit,
    /** Body position of the include it happened in, when it happened in one. */
    public line?: number,
    public column?: number,
  ) {
    super(`${limit} exceeded`);
    this.name = 'LiquidLimitError';
  }
}

/** liquidjs's own limits fail with an AssertionError named after the resource. */
const LIQUIDJS_LIMITS: Record<string, LiquidLimit> = {
  'parse length limit exceeded': 'parseLimit',
  'template render limit exceeded': 'renderLimitMs',
  'memory alloc limit exceeded': 'memoryLimit',
};

/** The limit behind an error (liquidjs wraps errors of tags in a RenderError), if it is one. */
function liquidLimitOf(error: unknown): LiquidLimitError | undefined {
  for (let cause = error; cause instanceof Error; cause = (cause as Error & { originalError?: unknown }).originalError) {
    if (cause instanceof LiquidLimitError) return cause;
    if (cause instanceof AssertionError && Object.hasOwn(LIQUIDJS_LIMITS, cause.message)) return new LiquidLimitError(LIQUIDJS_LIMITS[cause.message]);
  }
  return undefined;
}

const LIMIT_MESSAGES: Record<LiquidLimit, (value: number) => string> = {
  parseLimit: (value) => `a template is longer than ${value.toLocaleString('en')} characters`,
  renderLimitMs: (value) => `rendering took longer than ${value.toLocaleString('en')} ms`,
  memoryLimit: (value) => `rendering allocated more than ${value.toLocaleString('en')} items (array elements and characters)`,
  maxIncludeRenders: (value) => `more than ${value.toLocaleString('en')} includes were rendered`,
  maxOutputBytes: (value) => `Liquid wrote more than ${(value / (1024 * 1024)).toLocaleString('en')} MB`,
};

function limitProblem(limit: LiquidLimitError, error: unknown, source: string): ContentProblem {
  const token = LiquidError.is(error) ? (error as LiquidError & { token?: TagToken }).token : undefined;
  const [line, column] = limit.line !== undefined
    ? [limit.line, limit.column ?? 1]
    : token && token.input === source ? token.getPosition() : [1, 1];
  const value = contentLimits.liquid[limit.limit];
  return {
    code: 'liquid-limit', severity: 'error', line, column, field: null,
    message: `Liquid stopped: ${LIMIT_MESSAGES[limit.limit](value)} (contentLimits.liquid.${limit.limit}), so the page is served with all Liquid tags removed`,
    hint: 'Look for a loop over a huge range, an include that includes itself, or a capture that doubles; Jekyll would take as long or never finish.',
  };
}

/**
 * Counts what every emitter writes (the page's, and those of `capture`, `highlight`… which
 * liquidjs creates itself) against `maxOutputBytes`, by handing each render an emitter of ours.
 */
function countOutput(liquid: Liquid): void {
  const renderer = liquid.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = (templates, ctx, emitter) => renderTemplates(templates, ctx, emitter ?? new CountingEmitter(ctx));
}

/**
 * liquidjs's SimpleEmitter, with a byte budget shared by every emitter of a render. It holds back
 * the spaces and tabs written last, so dropping the indentation before an include (see
 * removeIndentation) costs the length of that indentation, not of the whole output so far.
 */
class CountingEmitter implements Emitter {
  private text = '';
  /** Spaces and tabs at the end of what was written. */
  private blanks = '';
  private readonly state: RenderState | undefined;

  constructor(ctx: Context) {
    this.state = ctx.getRegister<RenderState | undefined>(STATE);
  }

  write(html: unknown): void {
    const text = outputText(html);
    if (this.state) {
      // A string's UTF-8 size is at least its length: refuse a huge one before measuring it.
      const remaining = contentLimits.liquid.maxOutputBytes - this.state.outputBytes;
      const bytes = text.length > remaining ? text.length : Buffer.byteLength(text);
      if (bytes > remaining) throw new LiquidLimitError('maxOutputBytes');
      this.state.outputBytes += bytes;
    }
    let end = text.length;
    while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end -= 1;
    if (end === 0) {
      this.blanks += text;
    } else {
      this.text += this.blanks + text.slice(0, end);
      this.blanks = text.slice(end);
    }
  }

  // liquidjs reads `buffer` at the end of every block rendered into this emitter: keep it cheap.
  get buffer(): string {
    return this.blanks === '' ? this.text : this.text + this.blanks;
  }

  set buffer(text: string) {
    this.text = text;
    this.blanks = '';
  }

  /** Drops the spaces and tabs at the end of what was written. */
  trimTrailingBlanks(): void {
    this.blanks = '';
  }
}

/** How liquidjs turns an output value into text (`stringify`, not exported). */
function outputText(value: unknown): string {
  const plain = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain == null) return '';
  if (Array.isArray(plain)) return plain.map(outputText).join('');
  return String(plain);
}

// ─── {% include %} ───────────────────────────────────────────────────────────

type PartialLoader = (name: string) => Promise<Template[] | undefined>;

// Jekyll's own rules for include names: no `..`/`//`, a small character set.
const VALID_INCLUDE_NAME = /^[\w/.\-()+~#@]+$/;
const INVALID_INCLUDE_SEQUENCE = /[./]{2,}/;

function createPartialLoader(liquid: Liquid, includes: ReadonlyMap<string, string> | undefined): PartialLoader {
  const cache = new Map<string, Promise<Template[] | undefined>>();
  return (name) => {
    if (!includes || !VALID_INCLUDE_NAME.test(name) || INVALID_INCLUDE_SEQUENCE.test(name) || name.startsWith('/')) {
      return Promise.resolve(undefined);
    }
    const source = includes.get(name);
    if (source === undefined) return Promise.resolve(undefined);
    let partial = cache.get(name);
    if (!partial) {
      // Parsed once per engine; a parse error is reported where the include is used.
      partial = new Promise<Template[]>((resolve) => resolve(liquid.parse(source, `_includes/${name}`)));
      cache.set(name, partial);
    }
    return partial;
  };
}

// Jekyll's include parameter syntax: key="…", key='…' (only the quote is unescaped) or key=variable.
const INCLUDE_NAME = /^\s*(\{\{[\s\S]*?\}\}\S*|\S+)/;
const INCLUDE_PARAMETER = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)'|([\w.\-[\]]+))/g;

interface IncludeParameter {
  key: string;
  literal?: string;
  expression?: Value;
}

function createIncludeTag(loadPartial: PartialLoader) {
  return class JekyllIncludeTag extends Tag {
    private readonly target: string;
    private readonly parameters: IncludeParameter[] = [];
    /** Parameter text Jekyll's syntax does not cover, reported when the tag renders. */
    private readonly unreadable: string;
    private readonly placement: 'block' | 'inline';

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      const nameMatch = INCLUDE_NAME.exec(token.args);
      if (!nameMatch) throw new Error('include needs a file name: {% include name.html %}');
      this.target = nameMatch[1];
      const rest = token.args.slice(nameMatch[0].length);
      for (const match of rest.matchAll(INCLUDE_PARAMETER)) {
        const [, key, doubleQuoted, singleQuoted, variable] = match;
        if (doubleQuoted !== undefined) this.parameters.push({ key, literal: doubleQuoted.replace(/\\"/g, '"') });
        else if (singleQuoted !== undefined) this.parameters.push({ key, literal: singleQuoted.replace(/\\'/g, "'") });
        else this.parameters.push({ key, ...variableOrLiteral(variable, liquid) });
      }
      this.unreadable = rest.replace(INCLUDE_PARAMETER, '').trim();
      this.placement = placementOf(token);
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const state = ctx.getRegister<RenderState | undefined>(STATE) ?? newRenderState();
      const [tagLine, tagColumn] = this.token.getPosition();
      const line = state.outerLine ?? tagLine;
      const column = state.outerLine === undefined ? tagColumn : 1;
      state.includeRenders += 1;
      if (state.includeRenders > contentLimits.liquid.maxIncludeRenders) throw new LiquidLimitError('maxIncludeRenders', line, column);

      const name = this.target.startsWith('{{')
        ? String(yield this.liquid.renderer.renderTemplates(this.liquid.parse(this.target), ctx)).trim()
        : this.target;
      const params: Record<string, unknown> = {};
      for (const parameter of this.parameters) {
        params[parameter.key] = parameter.expression ? (toPlain(yield parameter.expression.value(ctx, false)) ?? null) : parameter.literal;
      }
      if (this.unreadable) {
        state.problems.push(problem('liquid-syntax', line, column,
          `{% include ${name} %} has parameters Jekyll cannot read: ${JSON.stringify(this.unreadable)}`,
          'Write parameters as key="text", key=\'text\' or key=variable.'));
      }

      let templates: Template[] | undefined;
      try {
        templates = (yield loadPartial(name)) as Template[] | undefined;
      } catch (error) {
        throwIfLimit(error, line, column);
        state.problems.push(problem('liquid-syntax', line, column, `_includes/${name} could not be read: ${errorReason(error)}`,
          'Fix the Liquid syntax of the include file.'));
        return;
      }

      if (templates) {
        if (state.depth >= MAX_INCLUDE_DEPTH) {
          state.problems.push(problem('liquid-render', line, column, `_includes/${name} is included more than ${MAX_INCLUDE_DEPTH} levels deep`,
            'An include probably includes itself; break the cycle.'));
          return;
        }
        const outerLine = state.outerLine;
        state.outerLine = line;
        state.depth += 1;
        ctx.push({ include: params });
        try {
          yield this.liquid.renderer.renderTemplates(templates, ctx, emitter);
        } catch (error) {
          throwIfLimit(error, line, column);
          state.problems.push(problem('liquid-render', line, column, `_includes/${name} failed to render: ${errorReason(error)}`,
            'Fix the include file; its output is cut short here.'));
        } finally {
          ctx.pop();
          state.depth -= 1;
          state.outerLine = outerLine;
        }
        return;
      }

      const component = recordComponent(ctx, { kind: 'include', name, params, line, placement: this.placement });
      // One problem per tag, however many times a loop renders it.
      const reported = state.problems.some((known) => known.code === 'include-missing' && known.line === line && known.column === column);
      if (!reported) {
        state.problems.push(problem('include-missing', line, column,
          `_includes/${name} is not in the content, so the include is left to the frontend as a data-include placeholder`,
          MISSING_INCLUDE_HINT(name)));
      }
      if (this.placement === 'block') removeIndentation(emitter);
      // Keep the lines a multi-line tag spanned, so later line numbers still match the body.
      const lines = this.placement === 'block' ? '\n'.repeat(this.token.getText().split('\n').length - 1) : '';
      emitter.write(componentPlaceholder(component) + lines);
    }
  };
}

/** A limit stops the whole page, not just the include: passed on, at the outermost include's position. */
function throwIfLimit(error: unknown, line: number, column: number): void {
  const limit = liquidLimitOf(error);
  if (!limit) return;
  limit.line ??= line;
  limit.column ??= column;
  throw limit;
}

/** An unquoted parameter is a variable (Jekyll looks it up); one liquidjs cannot parse stays text. */
function variableOrLiteral(expression: string, liquid: Liquid): { expression: Value } | { literal: string } {
  try {
    return { expression: new Value(expression, liquid) };
  } catch {
    return { literal: expression };
  }
}

/**
 * A block placeholder indented by the template (`    {% include x %}` in a loop) would be an
 * indented code block to markdown; Jekyll's kramdown does not read HTML that way, so drop the indent.
 */
function removeIndentation(emitter: Emitter): void {
  if (emitter instanceof CountingEmitter) return emitter.trimTrailingBlanks();
  const output = emitter as Emitter & { buffer?: unknown };
  if (typeof output.buffer === 'string') output.buffer = output.buffer.replace(/[ \t]+$/, '');
}

/**
 * Adds a component to the page being rendered, with the loop variables in scope (Jekyll includes
 * read them implicitly, so the frontend needs them too) and the next id of the page.
 */
function recordComponent(ctx: Context, fields: Omit<Component, 'id' | 'context'>): Component {
  const state = ctx.getRegister<RenderState | undefined>(STATE) ?? newRenderState();
  const context = Object.fromEntries(state.loopVariables.map((name) => [name, toPlain(ctx.getSync([name]))]));
  const component: Component = { id: `component-${state.components.length + 1}`, ...fields, context };
  state.components.push(component);
  return component;
}

/** A JSON-safe copy of a Liquid value (dates as ISO strings, drops unwrapped, cycles cut). */
function toPlain(value: unknown, ancestors: object[] = []): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value)) return undefined;
  if (value instanceof Drop) {
    const unwrapped = value.valueOf();
    if (unwrapped !== value) return toPlain(unwrapped, [...ancestors, value]);
  }
  const next = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => toPlain(item, next) ?? null);
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, toPlain(item, next)] as const)
      .filter(([, item]) => item !== undefined),
  );
}

// ─── other tags ──────────────────────────────────────────────────────────────

/** `for`, remembering its loop variable so includes inside it can hand it to the frontend. */
class JekyllForTag extends ForTag {
  override *render(ctx: Context, emitter: Emitter): Generator<unknown, void | string, Template[]> {
    const state = ctx.getRegister<RenderState | undefined>(STATE);
    state?.loopVariables.push(this.variable);
    try {
      return yield* super.render(ctx, emitter);
    } finally {
      state?.loopVariables.pop();
    }
  }
}

/** Jekyll's `{% highlight lang %}…{% endhighlight %}`, as a code block with a language class. */
class HighlightTag extends Tag {
  private readonly language: string;
  private readonly templates: Template[] = [];

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid);
    this.language = token.args.trim().split(/\s+/)[0] ?? '';
    while (remainTokens.length > 0) {
      const next = remainTokens.shift()!;
      if ('name' in next && next.name === 'endhighlight') return;
      this.templates.push(parser.parseToken(next, remainTokens));
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const code = String(yield this.liquid.renderer.renderTemplates(this.templates, ctx)).replace(/^\n+|\s+$/g, '');
    const language = this.language ? ` class="language-${escapeAttribute(this.language)}"` : '';
    emitter.write(`<pre class="highlight"><code${language}>${escapeText(code)}</code></pre>`);
  }
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ─── filters ─────────────────────────────────────────────────────────────────

type FilterThis = { context: Context };

function registerJekyllFilters(liquid: Liquid): void {
  liquid.registerFilter('relative_url', function (this: FilterThis, input: unknown) {
    return input == null ? input : relativeUrl(String(input), this.context.getSync(['site', 'baseurl']));
  });
  liquid.registerFilter('absolute_url', function (this: FilterThis, input: unknown) {
    if (input == null) return input;
    const relative = relativeUrl(String(input), this.context.getSync(['site', 'baseurl']));
    const siteUrl = this.context.getSync(['site', 'url']);
    if (ABSOLUTE_URL.test(relative) || typeof siteUrl !== 'string' || siteUrl === '') return relative;
    return siteUrl.replace(/\/+$/, '') + relative;
  });
  liquid.registerFilter('markdownify', (input: unknown) => String(kramdownToHtml.processSync(input == null ? '' : String(input))));
  liquid.registerFilter('smartify', (input: unknown) => smartify(input == null ? '' : String(input)));
  liquid.registerFilter('where', jekyllWhere);
  liquid.registerFilter('sort', jekyllSort);
}

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;

/** Jekyll's relative_url: baseurl + path, both with a leading slash; absolute URLs unchanged. */
function relativeUrl(input: string, baseurl: unknown): string {
  if (ABSOLUTE_URL.test(input)) return input;
  const base = typeof baseurl === 'string' || typeof baseurl === 'number' ? String(baseurl).replace(/\/$/, '') : '';
  const withSlash = (part: string) => (part === '' || part.startsWith('/') ? part : `/${part}`);
  return withSlash(base) + withSlash(input);
}

/** Jekyll's `where`: compares as strings, and matches any element of an array property. */
function jekyllWhere(input: unknown, property: unknown, value: unknown): unknown {
  if (property == null || property === '' || Array.isArray(value) || (typeof value === 'object' && value !== null)) return input;
  const items = Array.isArray(input) ? input : input && typeof input === 'object' ? Object.values(input) : [];
  return items.filter((item) => {
    const actual = readPath(item, String(property));
    if (value == null) return actual == null;
    const target = String(value);
    if (typeof actual === 'string') return actual === target;
    return (Array.isArray(actual) ? actual : [actual]).some((element) => element != null && String(element) === target);
  });
}

/** Jekyll's `sort`: by a property path, items without it first (or last with `nils: "last"`). */
function jekyllSort(input: unknown, property?: unknown, nils: unknown = 'first'): unknown {
  if (!Array.isArray(input)) return input;
  const order = nils === 'last' ? 1 : -1;
  const keyed = input.map((item) => ({ item, key: property == null ? item : readPath(item, String(property)) }));
  keyed.sort((a, b) => {
    if (a.key == null && b.key == null) return 0;
    if (a.key == null) return order;
    if (b.key == null) return -order;
    return compareValues(a.key, b.key);
  });
  return keyed.map(({ item }) => item);
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  const [left, right] = [String(a), String(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}

function readPath(item: unknown, property: string): unknown {
  let value: unknown = item;
  for (const key of property.split('.')) {
    if (value == null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Typographic quotes, dashes and ellipses, like Jekyll's smartify. */
function smartify(input: string): string {
  return input
    .replace(/---/g, '\u2014')
    .replace(/--/g, '\u2013')
    .replace(/\.\.\./g, '\u2026')
    .replace(/(^|[\s([{\u2014\u2013])"/g, '$1\u201c')
    .replace(/"/g, '\u201d')
    .replace(/(^|[\s([{\u2014\u2013])'/g, '$1\u2018')
    .replace(/'/g, '\u2019');
}
