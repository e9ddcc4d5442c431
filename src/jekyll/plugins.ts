import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../../schemas/diagnostic.ts';

/** A plugin named in `_config.yml`, where it is named. */
export interface DeclaredPlugin {
  name: string;
  line: number;
  column: number;
}

/** The plugins whose effect on pages the API reproduces, and how. */
export const SUPPORTED_PLUGINS: Readonly<Record<string, string>> = {
  'jekyll-feed': 'the Atom feed at /feed.xml',
  jemoji: ':shortcode: emoji in text and titles',
  'jekyll-gist': '{% gist %} as a component with a link to the gist',
  'jekyll-include-cache': '{% include_cached %} as {% include %}',
  'jekyll-redirect-from': 'redirect_from and redirect_to in /v1/resolve',
  'jekyll-sitemap': '/sitemap.xml and sitemap: false',
};

/** Plugins that only shape the theme's `<head>` or build metadata, which an API serving page bodies does not produce. */
const LAYOUT_ONLY_PLUGINS: ReadonlySet<string> = new Set([
  'jekyll-seo-tag',
  'jekyll-github-metadata',
  'jekyll-remote-theme',
  'jekyll-default-layout',
  'jekyll-commonmark-ghpages',
]);

/**
 * The plugins `_config.yml` names in `plugins:` (and in `gems:`, the name before Jekyll 3.5), in
 * file order, each once, with its position. `whitelist:` only restricts what `plugins:` may load,
 * so it adds none.
 */
export function declaredPlugins(configText: string): DeclaredPlugin[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(configText, { uniqueKeys: false, lineCounter });
  if (!isMap(document.contents)) return [];
  const plugins: DeclaredPlugin[] = [];
  for (const pair of document.contents.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if ((key !== 'plugins' && key !== 'gems') || !isSeq(pair.value)) continue;
    for (const item of pair.value.items) {
      if (!isScalar(item) || typeof item.value !== 'string' || plugins.some((plugin) => plugin.name === item.value)) continue;
      const { line, col } = lineCounter.linePos(item.range?.[0] ?? 0);
      plugins.push({ name: item.value, line, column: col });
    }
  }
  return plugins;
}

/** One `plugin-unsupported` warning per plugin the site names whose output the API does not reproduce. */
export function unsupportedPluginProblems(plugins: readonly DeclaredPlugin[], configFile: string): Diagnostic[] {
  return plugins
    .filter((plugin) => !Object.hasOwn(SUPPORTED_PLUGINS, plugin.name) && !LAYOUT_ONLY_PLUGINS.has(plugin.name))
    .map((plugin) => ({
      code: 'plugin-unsupported',
      severity: 'warning',
      file: configFile,
      line: plugin.line,
      column: plugin.column,
      field: 'plugins',
      message: `the site uses the Jekyll plugin ${plugin.name}, which this API does not run, so what it adds to pages is missing`,
      hint: `Supported plugins: ${Object.keys(SUPPORTED_PLUGINS).join(', ')}. Remove ${plugin.name} from the config if the site does not need it, or render its output in the frontend.`,
    }));
}
