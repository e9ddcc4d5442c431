import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer, type RendererOptions } from '../../src/markdown/render.ts';
import { toHtml } from 'hast-util-to-html';

/** Renders a body (starting at line 10 of its file, after front matter) the way pages are rendered. */
async function render(body: string, options: Partial<RendererOptions> = {}) {
  const renderMarkdown = createMarkdownRenderer({ resolveLink: () => ({ kind: 'external' }), ...options });
  const { tree, problems } = await renderMarkdown({ body, bodyLine: 10, page: { file: 'page.md', permalink: '/page/' } });
  return { html: toHtml(tree), problems };
}

describe('embeds (rehypeEmbeds)', () => {
  it('keeps a YouTube player, sandboxed, lazy and with a referrer policy set by us', async () => {
    const { html, problems } = await render(
      '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" sandbox="allow-top-navigation" frameborder="0" allowfullscreen></iframe>',
    );
    expect(html).toContain('src="https://www.youtube.com/embed/abc"');
    expect(html).toContain('sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"');
    expect(html).toContain('loading="lazy"');
    expect(html).toContain('referrerpolicy="strict-origin-when-cross-origin"');
    expect(html).toContain('width="560"');
    expect(problems).toEqual([]);
  });

  it('keeps youtube-nocookie and Vimeo players by default', async () => {
    const { html } = await render(
      '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>\n\n<iframe src="https://player.vimeo.com/video/1"></iframe>',
    );
    expect(html.match(/<iframe/g)).toHaveLength(2);
  });

  it('drops an iframe from another host and reports it as embed-removed at its file line', async () => {
    const { html, problems } = await render('Intro\n\n<iframe src="https://www.mentimeter.com/app/presentation/x/embed"></iframe>');
    expect(html).not.toContain('<iframe');
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'embed-removed',
        severity: 'warning',
        line: 12,
        message: expect.stringContaining('www.mentimeter.com is not an allowed embed host'),
        hint: expect.stringContaining('EMBED_HOSTS'),
      }),
    ]);
  });

  it('keeps an iframe from a host added with EMBED_HOSTS, and its subdomains', async () => {
    const { html, problems } = await render('<iframe src="https://www.mentimeter.com/app/x/embed"></iframe>', {
      embedHosts: ['mentimeter.com'],
    });
    expect(html).toContain('<iframe src="https://www.mentimeter.com/app/x/embed"');
    expect(problems).toEqual([]);
  });

  it('drops a plain-http or relative iframe even from an allowed host', async () => {
    const { html, problems } = await render(
      '<iframe src="http://www.youtube.com/embed/abc"></iframe>\n<iframe src="/local.html"></iframe>',
    );
    expect(html).not.toContain('<iframe');
    expect(problems.map((problem) => problem.code)).toEqual(['embed-removed', 'embed-removed']);
  });
});

describe('inline styles (rehypeStyleSubset)', () => {
  it('keeps sizes, alignment, spacing and colors', async () => {
    const { html, problems } = await render(
      '<img src="/a.png" alt="a" style="max-width:100%; margin: 0 auto; text-align: center; color: rgb(249, 251, 187)">',
    );
    expect(html).toContain('style="max-width: 100%; margin: 0 auto; text-align: center; color: rgb(249, 251, 187)"');
    expect(problems).toEqual([]);
  });

  it('drops url(), position: fixed, expression() and behavior, one warning each, and keeps the rest', async () => {
    const { html, problems } = await render(
      '<div style="position: fixed; width: 10px; background: url(https://x.example/a.png); height: expression(alert(1)); behavior: url(x.htc)">x</div>',
    );
    expect(html).toContain('<div style="width: 10px">x</div>');
    expect(problems.map((problem) => [problem.code, problem.line, problem.message.split(' removed:')[0]])).toEqual([
      ['html-removed', 10, 'style "position: fixed" on <div>'],
      ['html-removed', 10, 'style "background: url(https://x.example/a.png)" on <div>'],
      ['html-removed', 10, 'style "height: expression(alert(1))" on <div>'],
      ['html-removed', 10, 'style "behavior: url(x.htc)" on <div>'],
    ]);
  });

  it('keeps position: relative and overflow (a responsive embed wrapper), not position: absolute', async () => {
    const { html, problems } = await render(
      '<div style="position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden"><span style="position: absolute; top: 0">x</span></div>',
    );
    expect(html).toContain('<div style="position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden">');
    expect(problems.map((problem) => problem.message.split(' removed:')[0])).toEqual([
      'style "position: absolute" on <span>',
      'style "top: 0" on <span>',
    ]);
  });

  it('removes a style with nothing safe left', async () => {
    const { html } = await render('<p style="position:absolute">x</p>');
    expect(html).toBe('<p>x</p>');
  });
});

describe('what the sanitizer removes (rehypeReportRemovedHtml)', () => {
  it('reports a removed element, an event handler and an attribute, each at its line', async () => {
    const body = 'Text\n\n<div onclick="go()" data-partner="x">\n<button>Press</button>\n<script>alert(1)</script>\n</div>';
    const { html, problems } = await render(body);
    expect(html).toContain('Press');
    expect(html).not.toMatch(/<button|<script|onclick|data-partner/);
    expect(problems.map((problem) => [problem.code, problem.line, problem.message])).toEqual([
      ['html-removed', 12, "onclick on <div> removed: event handlers run script in a reader's browser"],
      ['html-removed', 12, 'data-partner on <div> removed: the attribute is not allowed on this element'],
      ['html-removed', 13, '<button> removed: the element is not allowed (its content is kept)'],
      ['html-removed', 14, '<script> removed: the element is not allowed, and its content is dropped with it'],
    ]);
  });

  it('reports a thing dropped several times on one line once', async () => {
    const { problems } = await render('<p><button>a</button> <button>b</button> <button>c</button></p>');
    expect(problems).toHaveLength(1);
  });

  it('keeps type on <source>, video, classes and aria-hidden without a word', async () => {
    const body =
      '<picture><source srcset="/a.webp" type="image/webp"><img src="/a.png" alt="a"></picture>\n\n<ul class="features"><li><i class="fa fa-star" aria-hidden="true"></i> x</li></ul>\n\n<video controls src="https://x.example/v.mp4"></video>';
    const { html, problems } = await render(body);
    expect(html).toContain('type="image/webp"');
    expect(html).toContain('<ul class="features">');
    expect(html).toContain('aria-hidden="true"');
    expect(html).toContain('<video controls src="https://x.example/v.mp4"></video>');
    expect(problems).toEqual([]);
  });

  it('reports nothing for markdown and the HTML it makes', async () => {
    const { problems } = await render('# Title\n\n- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nx\n```\n\n[^1]\n\n[^1]: note');
    expect(problems).toEqual([]);
  });
});
