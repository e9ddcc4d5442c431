import { describe, expect, it } from 'vitest';
import { renderPageBody as render } from '../helpers/markdown.ts';

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
