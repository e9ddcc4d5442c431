import { describe, expect, it } from 'vitest';
import { renderPageBody as render } from '../helpers/markdown.ts';

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
