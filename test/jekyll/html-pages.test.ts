import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, fixture } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(fixture('jekyll-plugins'));
});
afterAll(() => app.close());

const page = async (slug: string) => (await app.inject(`/v1/pages/${slug}`)).json();

describe('a Jekyll site with .html pages and plugins', () => {
  it('serves .html files with front matter and every markdown extension as pages; an .html file without front matter is a static file', async () => {
    const slugs = (await app.inject('/v1/pages?limit=100&fields=slug')).json().items.map((item: { slug: string }) => item.slug);
    expect(slugs.sort()).toEqual(['archive', 'first', 'notes', 'second', 'third']);
    expect((await app.inject('/v1/resolve?path=/notes/')).json().page.html).toBe('<p>Written in <em>.mdown</em>.</p>');
    const diagnostics = (await app.inject('/v1/diagnostics')).json().diagnostics;
    expect(diagnostics.filter((diagnostic: { file: string }) => diagnostic.file.endsWith('verify.html'))).toEqual([]);
  });

  it("renders an .html page's Liquid over site.posts, reads the rest as HTML (no markdown), and sanitizes it", async () => {
    const archive = await page('archive');
    expect(archive.permalink).toBe('/archive/');
    expect(archive.html.match(/<h2 class="post">[^<]*<\/h2>/g)).toEqual([
      '<h2 class="post">Third</h2>',
      '<h2 class="post">Second &#x26; better</h2>',
      '<h2 class="post">First post 🎉</h2>',
    ]);
    // Indented HTML is not an indented code block, as it would be in markdown.
    expect(archive.html).toContain('<p>indented, not code</p>');
    expect(archive.html).not.toContain('<pre>');
    expect(archive.html).not.toContain('<script');
    expect(archive.components).toEqual([expect.objectContaining({ id: 'component-1', kind: 'include', name: 'note.html' })]);
    expect(archive.html).toContain('<div data-include="note.html" data-include-id="component-1"></div>');
  });

  it('turns emoji shortcodes into emoji in titles and text, not in code (jemoji)', async () => {
    const first = await page('first');
    expect(first.title).toBe('First post 🎉');
    expect(first.html).toBe('<p>Hello 👋 and <code>:wave:</code> in code.</p>');
  });

  it('makes {% gist %} a component with a link to the gist (jekyll-gist)', async () => {
    const second = await page('second');
    expect(second.components).toEqual([
      {
        id: 'component-1',
        kind: 'gist',
        name: 'gist',
        params: { id: '1234abcd', file: 'hello.py' },
        context: {},
        line: 6,
        placement: 'block',
      },
    ]);
    expect(second.html).toContain(
      '<div data-include="gist" data-include-id="component-1"><a href="https://gist.github.com/1234abcd#file-hello-py">hello.py</a></div>',
    );
  });

  it('warns once, at its line in _config.yml, for each named plugin it does not run', async () => {
    const diagnostics = (await app.inject('/v1/diagnostics')).json().diagnostics;
    expect(
      diagnostics
        .filter((diagnostic: { code: string }) => diagnostic.code === 'plugin-unsupported')
        .map((d: { file: string; line: number }) => [d.file, d.line]),
    ).toEqual([
      ['_config.yml', 18],
      ['_config.yml', 21],
    ]);
  });
});
