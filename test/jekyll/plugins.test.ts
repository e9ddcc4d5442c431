import { describe, expect, it } from 'vitest';
import { declaredPlugins, unsupportedPluginProblems } from '../../src/jekyll/plugins.ts';

describe('the plugins a Jekyll site names', () => {
  const config =
    'title: x\nplugins:\n  - jekyll-feed\n  - jekyll-paginate\nwhitelist:\n  - jekyll-archives\ngems: [jemoji, jekyll-paginate, jekyll-mentions]\n';

  it('reads plugins: and the older gems:, each plugin once, at its line and column', () => {
    expect(declaredPlugins(config)).toEqual([
      { name: 'jekyll-feed', line: 3, column: 5 },
      { name: 'jekyll-paginate', line: 4, column: 5 },
      { name: 'jemoji', line: 7, column: 8 },
      { name: 'jekyll-mentions', line: 7, column: 33 },
    ]);
  });

  it('warns once for each plugin whose output the API does not reproduce, not for supported or layout-only ones', () => {
    const problems = unsupportedPluginProblems([...declaredPlugins(config), { name: 'jekyll-seo-tag', line: 9, column: 3 }], '_config.yml');
    expect(
      problems.map(({ code, severity, file, line, message }) => ({
        code,
        severity,
        file,
        line,
        plugin: /plugin (\S+),/.exec(message)?.[1],
      })),
    ).toEqual([
      { code: 'plugin-unsupported', severity: 'warning', file: '_config.yml', line: 4, plugin: 'jekyll-paginate' },
      { code: 'plugin-unsupported', severity: 'warning', file: '_config.yml', line: 7, plugin: 'jekyll-mentions' },
    ]);
  });

  it('finds none in a config without plugins, or that is not a mapping', () => {
    expect(declaredPlugins('title: x\n')).toEqual([]);
    expect(declaredPlugins('- a\n- b\n')).toEqual([]);
  });
});
