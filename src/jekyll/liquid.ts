import { Context, Liquid } from 'liquidjs';
import type { Component } from '../../schemas/page.ts';
import { contentLimits } from '../content/limits.ts';
import type { ContentProblem } from '../model/problem.ts';
import { createGistTag } from './gist-tag.ts';
import { registerJekyllFilters } from './liquid/filters.ts';
import { JekyllForTag } from './liquid/for-tag.ts';
import { HighlightTag } from './liquid/highlight-tag.ts';
import { createIncludeTag, createPartialLoader } from './liquid/include-tag.ts';
import { limitProblem, liquidLimitOf } from './liquid/limits.ts';
import { countOutput } from './liquid/output-budget.ts';
import { recordComponent } from './liquid/record-component.ts';
import { newRenderState, STATE } from './liquid/render-state.ts';
import { inBodyOrder, repairAt, withoutLiquid } from './liquid/repair.ts';

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

const MAX_REPAIRS = 50;

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
