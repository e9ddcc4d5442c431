import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Element } from 'hast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createJekyllLiquid } from '../../src/jekyll/liquid.ts';
import { kramdownToHtml } from '../../src/markdown/kramdown-html.ts';

const corpus = fileURLToPath(new URL('../fixtures/pyopensci-site/', import.meta.url));
const site = { url: 'https://www.pyopensci.org', baseurl: '/docs', title: 'pyOpenSci' };
const page = { title: 'Peer review', tags: ['a', 'b'] };

function render(
  body: string,
  options: {
    includes?: ReadonlyMap<string, string>;
    page?: Record<string, unknown>;
    site?: Record<string, unknown>;
    plugins?: string[];
  } = {},
) {
  return createJekyllLiquid({ site: options.site ?? site, includes: options.includes, plugins: new Set(options.plugins) }).render(body, {
    page: options.page ?? page,
    file: 'page.md',
  });
}

describe('createJekyllLiquid', () => {
  const includes = new Map([
    ['note.html', '<aside class="{{ include.kind }}">{{ include.text | markdownify }}</aside>'],
    ['card.html', '<div>{% include badge.html label=include.title %}</div>'],
  ]);

  it('renders page and site variables and Jekyll URL filters with the baseurl', async () => {
    const result = await render(
      "# {{ page.title }}\n![x]({{ '/images/a.png' | relative_url }}) {{ 'blog/' | absolute_url }} {{ site.baseurl }}",
    );
    expect(result.text).toBe('# Peer review\n![x](/docs/images/a.png) https://www.pyopensci.org/docs/blog/ /docs');
    expect(result.warnings).toEqual([]);
  });

  it('leaves absolute URLs alone and joins an empty baseurl without a double slash', async () => {
    const result = await render("{{ 'https://x.org/a' | relative_url }} {{ '/a' | relative_url }}", {
      site: { url: 'https://s.org', baseurl: '' },
    });
    expect(result.text).toBe('https://x.org/a /a');
  });

  it('has Jekyll filters: markdownify, jsonify, slugify, where, sort with nils first, where_exp, smartify', async () => {
    const data = {
      people: [
        { name: 'Ana', sort: 2, board: true },
        { name: 'Bo', board: 'true' },
        { name: 'Cy', sort: 1, board: false },
      ],
    };
    const body = [
      '{{ "**hi**" | markdownify }}',
      '{{ page.tags | jsonify }}',
      '{{ "Hello, World!" | slugify }}',
      '{% assign board = site.data.people | where: "board", true %}{% for p in board %}{{ p.name }} {% endfor %}',
      '{% assign sorted = site.data.people | sort: "sort" %}{% for p in sorted %}{{ p.name }} {% endfor %}',
      '{% assign later = site.data.people | sort: "sort", "last" %}{{ later.first.name }}',
      '{% assign with_sort = site.data.people | where_exp: "item", "item.sort != nil" %}{{ with_sort | size }}',
      '{{ "\\"Quotes\\" -- and...it\'s" | smartify }}',
    ].join('\n');
    const result = await render(body, { site: { ...site, data } });
    expect(result.text.split('\n')).toEqual([
      '<p><strong>hi</strong></p>',
      '["a","b"]',
      'hello-world',
      'Ana Bo ',
      'Bo Cy Ana ',
      'Cy',
      '2',
      '\u201cQuotes\u201d \u2013 and\u2026it\u2019s',
    ]);
  });

  it('keeps {% raw %} content literal', async () => {
    const result = await render(
      '```\n{% raw %}{% include x.html %} {{ page.title }}{% endraw %}\n```\ntitle = {%raw%}{{SLEPLET}}{%endraw%}',
    );
    expect(result.text).toBe('```\n{% include x.html %} {{ page.title }}\n```\ntitle = {{SLEPLET}}');
    expect(result.components).toEqual([]);
  });

  it('leaves a missing include as a block placeholder naming a component that carries every parameter, and reports it', async () => {
    const body =
      'Intro\n\n{% include pyos-blockquote.html quote="[*I want to... *] Streamline the <b>development</b>" author="Anonymous" class="highlight magenta" who=page.title %}\n\nAfter';
    const result = await render(body);
    const params = {
      quote: '[*I want to... *] Streamline the <b>development</b>',
      author: 'Anonymous',
      class: 'highlight magenta',
      who: 'Peer review',
    };
    expect(result.components).toEqual([
      { id: 'component-1', kind: 'include', name: 'pyos-blockquote.html', params, context: {}, line: 3, placement: 'block' },
    ]);
    const lines = result.text.split('\n');
    expect(lines[2]).toBe('<div data-include="pyos-blockquote.html" data-include-id="component-1"></div>');
    expect(lines[4]).toBe('After');
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'include-missing',
        line: 3,
        column: 1,
        hint: 'add _includes/pyos-blockquote.html to render it server-side, or render the component in the frontend from data-include',
      }),
    ]);
  });

  it('keeps multi-line include parameters and the line count of the body', async () => {
    const body =
      '{% include pyos-blockquote.html quote="pyOpenSci has proven\nto be a valuable partner" author="Zach Chandler" %}\nNext line';
    const result = await render(body);
    expect(result.components[0].params).toEqual({ quote: 'pyOpenSci has proven\nto be a valuable partner', author: 'Zach Chandler' });
    expect(result.text.split('\n')).toHaveLength(3);
    expect(result.text.split('\n')[2]).toBe('Next line');
  });

  it('keeps string literals verbatim, accepts a space after = and reads unquoted values as variables', async () => {
    const result = await render('{% include x.html quote= "a \\d \\"b\\"" n=3 flag=true missing=nope %}');
    expect(result.components[0].params).toEqual({ quote: 'a \\d "b"', n: 3, flag: true, missing: null });
  });

  it('uses an inline span placeholder for an include inside a line', async () => {
    const result = await render('Watch {% include video id="n9IZGT4DxDs" provider="youtube" %} now');
    expect(result.text).toBe('Watch <span data-include="video" data-include-id="component-1"></span> now');
    expect(result.components[0]).toMatchObject({ name: 'video', placement: 'inline', params: { id: 'n9IZGT4DxDs', provider: 'youtube' } });
  });

  it('hands loop variables to the frontend and reports a missing include in a loop once', async () => {
    const data = { contributors: [{ name: 'Leah' }, { name: 'Karen' }] };
    const body =
      '<div class="grid">\n{% for aperson in site.data.contributors %}\n    {% include people-grid.html %}\n{% endfor %}\n</div>';
    const result = await render(body, { site: { ...site, data } });
    expect(result.components.map((component) => [component.id, component.context])).toEqual([
      ['component-1', { aperson: { name: 'Leah' } }],
      ['component-2', { aperson: { name: 'Karen' } }],
    ]);
    expect(result.warnings.filter((warning) => warning.code === 'include-missing')).toHaveLength(1);
    // Unindented, so markdown does not read the placeholder as an indented code block.
    // The person is in the component's context only, not repeated in the HTML.
    expect(result.text).toContain('\n<div data-include="people-grid.html" data-include-id="component-1"></div>\n');
    expect(result.text).not.toContain('Leah');
  });

  it('renders an include found among the site includes with its parameters under include', async () => {
    const result = await render('{% include note.html kind="notice" text="*careful*" %}', { includes });
    expect(result.text).toBe('<aside class="notice"><p><em>careful</em></p></aside>');
    expect(result.components).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('reports a missing include used by an include at the line of the outer tag', async () => {
    const result = await render('text\n{% include card.html title="Hi" %}', { includes });
    expect(result.text).toBe('text\n<div><span data-include="badge.html" data-include-id="component-1"></span></div>');
    expect(result.components).toEqual([
      { id: 'component-1', kind: 'include', name: 'badge.html', params: { label: 'Hi' }, context: {}, line: 2, placement: 'inline' },
    ]);
  });

  it('renders {% include_cached %} as {% include %} when the site uses jekyll-include-cache', async () => {
    const result = await render('{% include_cached note.html kind="tip" text="x" %}\n{% include_cached gone.html a="1" %}', {
      includes,
      plugins: ['jekyll-include-cache'],
    });
    expect(result.text).toBe('<aside class="tip"><p>x</p></aside>\n<div data-include="gone.html" data-include-id="component-1"></div>');
    expect(result.components).toEqual([expect.objectContaining({ name: 'gone.html', params: { a: '1' } })]);
  });

  it('turns {% gist %} into a component with the gist id and file, and a link to the gist', async () => {
    const result = await render('Intro\n{% gist parkr/931c1c8d465a04042403 jekyll-private-gist.markdown %}\nSee {% gist 1234abcd %} too', {
      plugins: ['jekyll-gist'],
    });
    expect(result.components).toEqual([
      {
        id: 'component-1',
        kind: 'gist',
        name: 'gist',
        params: { id: 'parkr/931c1c8d465a04042403', file: 'jekyll-private-gist.markdown' },
        context: {},
        line: 2,
        placement: 'block',
      },
      { id: 'component-2', kind: 'gist', name: 'gist', params: { id: '1234abcd' }, context: {}, line: 3, placement: 'inline' },
    ]);
    expect(result.text).toBe(
      'Intro\n<div data-include="gist" data-include-id="component-1"><a href="https://gist.github.com/parkr/931c1c8d465a04042403#file-jekyll-private-gist-markdown">jekyll-private-gist.markdown</a></div>\n' +
        'See <span data-include="gist" data-include-id="component-2"><a href="https://gist.github.com/1234abcd">gist 1234abcd</a></span> too',
    );
    expect(result.warnings).toEqual([]);
  });

  it('knows neither {% gist %} nor {% include_cached %} when the site does not name their plugins', async () => {
    const result = await render('{% gist 1234abcd %}\n{% include_cached x.html %}');
    expect(result.components).toEqual([]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['liquid-unknown-tag', 'liquid-unknown-tag']);
  });

  it('renders {% highlight %} as a code block', async () => {
    const result = await render('{% highlight python %}\nif a < b: print("{{ page.title }}")\n{% endhighlight %}');
    expect(result.text).toBe('<pre class="highlight"><code class="language-python">if a &lt; b: print("Peer review")</code></pre>');
  });

  it('never throws on bad Liquid: the bad tag is removed, reported at its line, and the rest renders', async () => {
    const result = await render('# {{ page.title }}\n\n{% for x in items %}\nbody\n\n{{ unclosed \nend {% seo %} {% endif %}');
    expect(result.text).not.toMatch(/\{%|\{\{/);
    expect(result.text.split('\n')).toHaveLength(7);
    expect(result.text.split('\n')[0]).toBe('# Peer review');
    expect(result.warnings.map((warning) => [warning.code, warning.line])).toEqual([
      ['liquid-syntax', 3],
      ['liquid-syntax', 6],
      ['liquid-unknown-tag', 7],
      ['liquid-syntax', 7],
    ]);
    for (const warning of result.warnings) expect(warning.message).not.toMatch(/line:\d|file:/);
  });

  it('never throws on an unclosed {% raw %}', async () => {
    const result = await render('a\n{% raw %}\n{{ x }}');
    expect(result.text).not.toMatch(/\{%|\{\{/);
    expect(result.warnings.length).toBeGreaterThan(0);
  });

  describe('with the pyOpenSci corpus', () => {
    async function loadSite(): Promise<Record<string, unknown>> {
      const config = YAML.parse(await readFile(path.join(corpus, '_config.yml'), 'utf8')) as Record<string, unknown>;
      const dataFiles = (await readdir(path.join(corpus, '_data'))).filter((name) => name.endsWith('.yml'));
      const data = Object.fromEntries(
        await Promise.all(
          dataFiles.map(async (name) => [name.replace(/\.yml$/, ''), YAML.parse(await readFile(path.join(corpus, '_data', name), 'utf8'))]),
        ),
      );
      return { ...config, data };
    }

    function splitFrontMatter(source: string): { page: Record<string, unknown>; body: string } {
      const parts = source.split(/^---[ \t]*\r?\n/m);
      if (parts.length < 3 || parts[0] !== '') return { page: {}, body: source };
      let page: Record<string, unknown> = {};
      try {
        page = (YAML.parse(parts[1]) as Record<string, unknown> | null) ?? {};
      } catch {
        // Some of this front matter is only valid to Jekyll's YAML parser; the body is what matters here.
      }
      return { page, body: parts.slice(2).join('---\n') };
    }

    it('renders every markdown body with no Liquid or IAL syntax left outside code', async () => {
      const liquid = createJekyllLiquid({ site: await loadSite() });
      const files = (await readdir(corpus, { recursive: true })).filter((name) => name.endsWith('.md')).sort();
      expect(files.length).toBeGreaterThan(100);

      const leaks: string[] = [];
      const liquidProblems: string[] = [];
      const quotes: unknown[] = [];
      for (const name of files) {
        const { page, body } = splitFrontMatter(await readFile(path.join(corpus, name), 'utf8'));
        const result = await liquid.render(body, { page, file: name });
        for (const warning of result.warnings) {
          if (warning.code !== 'include-missing') liquidProblems.push(`${name}:${warning.line} ${warning.code} ${warning.message}`);
        }
        const tree = await kramdownToHtml.run(kramdownToHtml.parse(result.text));
        const html = kramdownToHtml.stringify(tree);
        const outsideCode = html.replace(/<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>|<!--[\s\S]*?-->/g, '');
        for (const syntax of ['{%', '{{', '{:']) {
          const at = outsideCode.indexOf(syntax);
          if (at !== -1) leaks.push(`${name}: ${syntax} in ${JSON.stringify(outsideCode.slice(Math.max(0, at - 60), at + 40))}`);
        }
        if (name.includes('monumental-growth')) {
          expect(html).toContain('data-include="pyos-blockquote.html"');
          const byId = new Map(result.components.map((component) => [component.id, component]));
          visit(tree, 'element', (element: Element) => {
            if (element.properties.dataInclude === 'pyos-blockquote.html')
              quotes.push(byId.get(String(element.properties.dataIncludeId))?.params);
          });
        }
      }

      expect(leaks).toEqual([]);
      expect(liquidProblems).toEqual([]);
      expect(quotes).toContainEqual(
        expect.objectContaining({
          quote: expect.stringContaining('Streamline the development of good quality'),
          author: 'Anonymous',
          class: 'highlight magenta',
        }),
      );
    });
  });
});
