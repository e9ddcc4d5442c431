import { describe, expect, it } from 'vitest';
import { parseAttributeList } from '../../src/markdown/remark-kramdown-ial.ts';
import { renderKramdown as render } from '../helpers/markdown.ts';

describe('remarkKramdownIal', () => {
  it('reads classes, an id and quoted attributes from an attribute list', () => {
    expect(parseAttributeList(' .btn .btn--primary #go data-x="a b" target=\'_blank\' ')).toEqual({
      classes: ['btn', 'btn--primary'],
      id: 'go',
      attributes: { 'data-x': 'a b', target: '_blank' },
    });
  });

  it('puts a block IAL on the paragraph it ends and removes its text', async () => {
    const { html } = await render('Apply by Friday.\n{: .notice .notice--warning #deadline}');
    expect(html).toBe('<p class="notice notice--warning" id="deadline">Apply by Friday.</p>');
  });

  it('puts a block IAL on the heading above it', async () => {
    const { html } = await render('### What is a sprint?\n{: .no-toc}');
    expect(html).toBe('<h3 class="no-toc">What is a sprint?</h3>');
  });

  it('reads a header id written at the end of the heading', async () => {
    expect((await render('## Title {#custom-id}')).html).toBe('<h2 id="custom-id">Title</h2>');
  });

  it('puts an unindented IAL after a blockquote on the blockquote, as kramdown ends the quote there', async () => {
    const { html } = await render('> I just want to create a package.\n> Where is the tutorial?\n{: .highlight-quote .magenta }');
    expect(html).toBe(
      '<blockquote class="highlight-quote magenta"><p>I just want to create a package.\nWhere is the tutorial?</p></blockquote>',
    );
  });

  it('keeps an IAL written inside a blockquote on the quoted paragraph', async () => {
    expect((await render('> Quoted\n> {: .inner}')).html).toBe('<blockquote><p class="inner">Quoted</p></blockquote>');
  });

  it('puts an IAL after a list on the list, even across a nested blockquote', async () => {
    expect((await render('* one\n* two\n{: .checklist}')).html).toBe('<ul class="checklist"><li>one</li><li>two</li></ul>');
    const nested = await render('> **Note:**\n> * fork the repository\n> * avoid notebooks\n{: .notice }');
    expect(nested.html).toMatch(/^<blockquote class="notice">/);
  });

  it('puts an IAL on a code block, a table (written as its last row) and an image-only paragraph', async () => {
    expect((await render('```py\nx = 1\n```\n{: .wide}')).html).toBe('<pre><code class="language-py wide">x = 1\n</code></pre>');
    const table = await render('| a | b |\n|---|---|\n| 1 | 2 |\n{: .table-striped}');
    expect(table.html).toMatch(/^<table class="table-striped">/);
    expect(table.html).not.toContain('{:');
    expect((await render('![Logo](logo.png)\n{: .align-center}')).html).toBe('<p class="align-center"><img src="logo.png" alt="Logo"></p>');
  });

  it('applies an IAL that follows a blank line to the next block, as kramdown does', async () => {
    const { html } = await render(
      '[View your codespaces](https://github.com/codespaces)\n\n{: .notice}\n> Deleting a codespace keeps its configuration.',
    );
    expect(html).toBe(
      '<p><a href="https://github.com/codespaces">View your codespaces</a></p><blockquote class="notice"><p>Deleting a codespace keeps its configuration.</p></blockquote>',
    );
  });

  it('ends a paragraph at an IAL line in its middle', async () => {
    expect((await render('first\n{: .one}\nsecond')).html).toBe('<p class="one">first</p><p>second</p>');
  });

  it('puts a span IAL on the link, image or strong right before it', async () => {
    const { html } = await render(
      '[Apply](https://forms.gle/x){: .btn .btn--info .btn--large} or [docs](https://d.org){:target="_blank"} ' +
        '**[<i class="fa"></i> Submit](https://github.com/s)**{: .btn .btn--success} ![i](a.png){: .left}',
    );
    expect(html).toBe(
      '<p><a href="https://forms.gle/x" class="btn btn--info btn--large">Apply</a> or <a href="https://d.org" target="_blank">docs</a> ' +
        '<strong class="btn btn--success"><a href="https://github.com/s"><i class="fa"></i> Submit</a></strong> <img src="a.png" alt="i" class="left"></p>',
    );
  });

  it('treats a link followed by an IAL on the next line as a block IAL on the paragraph', async () => {
    const { html } = await render('📅 Learn more: [Event](https://e.org)\n{: .btn .btn--primary }');
    expect(html).toBe('<p class="btn btn--primary">📅 Learn more: <a href="https://e.org">Event</a></p>');
  });

  it('applies span IALs inside table cells and leaves IAL text in code alone', async () => {
    const { html } = await render(
      '| Style | Markdown |\n|---|---|\n| [Text](#link){: .btn} | `[Text](#link){: .btn}` |\n\n```\n{: .notice}\n```',
    );
    expect(html).toContain('<td><a href="#link" class="btn">Text</a></td>');
    expect(html).toContain('<td><code>[Text](#link){: .btn}</code></td>');
    expect(html).toContain('<pre><code>{: .notice}\n</code></pre>');
  });

  it('merges IAL classes with classes already set', async () => {
    const { html } = await render('```py\nx\n```\n{: .a}\n');
    expect(html).toContain('class="language-py a"');
  });

  it('removes an IAL with nothing to apply to and reports it at its line', async () => {
    const { html, file } = await render('<div data-include="div_purple_bottom.html"></div>\n{: .clearall }\n\nText');
    expect(html).toBe('<div data-include="div_purple_bottom.html"></div><p>Text</p>');
    expect(file.messages).toHaveLength(1);
    expect(file.messages[0]).toMatchObject({ ruleId: 'kramdown-ial-unattached', line: 2 });
    expect(file.messages[0].note).toMatch(/put the class in the HTML tag/);
  });
});
