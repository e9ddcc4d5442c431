import { Tag, Value, type Context, type Emitter, type Liquid, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import { contentLimits } from '../../content/limits.ts';
import { componentPlaceholder, placementOf } from '../components.ts';
import { LiquidLimitError, throwIfLimit } from './limits.ts';
import { removeIndentation } from './output-budget.ts';
import { recordComponent, toPlain } from './record-component.ts';
import { errorReason, newRenderState, problem, STATE, type RenderState } from './render-state.ts';

const MAX_INCLUDE_DEPTH = 10;
const MISSING_INCLUDE_HINT = (name: string) =>
  `add _includes/${name} to render it server-side, or render the component in the frontend from data-include`;

type PartialLoader = (name: string) => Promise<Template[] | undefined>;

// Jekyll's own rules for include names: no `..`/`//`, a small character set.
const VALID_INCLUDE_NAME = /^[\w/.\-()+~#@]+$/;
const INVALID_INCLUDE_SEQUENCE = /[./]{2,}/;

/** The site's includes, parsed once per engine and only under a name Jekyll accepts. */
export function createPartialLoader(liquid: Liquid, includes: ReadonlyMap<string, string> | undefined): PartialLoader {
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

/**
 * `{% include %}`: renders the site's include of that name, or leaves a placeholder for the
 * frontend (reported as `include-missing`).
 */
export function createIncludeTag(loadPartial: PartialLoader) {
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
        state.problems.push(
          problem(
            'liquid-syntax',
            line,
            column,
            `{% include ${name} %} has parameters Jekyll cannot read: ${JSON.stringify(this.unreadable)}`,
            'Write parameters as key="text", key=\'text\' or key=variable.',
          ),
        );
      }

      let templates: Template[] | undefined;
      try {
        templates = (yield loadPartial(name)) as Template[] | undefined;
      } catch (error) {
        throwIfLimit(error, line, column);
        state.problems.push(
          problem(
            'liquid-syntax',
            line,
            column,
            `_includes/${name} could not be read: ${errorReason(error)}`,
            'Fix the Liquid syntax of the include file.',
          ),
        );
        return;
      }

      if (templates) {
        if (state.depth >= MAX_INCLUDE_DEPTH) {
          state.problems.push(
            problem(
              'liquid-render',
              line,
              column,
              `_includes/${name} is included more than ${MAX_INCLUDE_DEPTH} levels deep`,
              'An include probably includes itself; break the cycle.',
            ),
          );
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
          state.problems.push(
            problem(
              'liquid-render',
              line,
              column,
              `_includes/${name} failed to render: ${errorReason(error)}`,
              'Fix the include file; its output is cut short here.',
            ),
          );
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
        state.problems.push(
          problem(
            'include-missing',
            line,
            column,
            `_includes/${name} is not in the content, so the include is left to the frontend as a data-include placeholder`,
            MISSING_INCLUDE_HINT(name),
          ),
        );
      }
      if (this.placement === 'block') removeIndentation(emitter);
      // Keep the lines a multi-line tag spanned, so later line numbers still match the body.
      const lines = this.placement === 'block' ? '\n'.repeat(this.token.getText().split('\n').length - 1) : '';
      emitter.write(componentPlaceholder(component) + lines);
    }
  };
}

/** An unquoted parameter is a variable (Jekyll looks it up); one liquidjs cannot parse stays text. */
function variableOrLiteral(expression: string, liquid: Liquid): { expression: Value } | { literal: string } {
  try {
    return { expression: new Value(expression, liquid) };
  } catch {
    return { literal: expression };
  }
}
