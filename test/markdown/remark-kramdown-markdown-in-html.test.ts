import { describe, expect, it } from 'vitest';
import { renderKramdown as render } from '../helpers/markdown.ts';

describe('remarkKramdownMarkdownInHtml: markdown="1" HTML blocks', () => {
  it('renders the markdown inside and keeps the wrapper with its attributes, minus markdown', async () => {
    const { html } = await render(
      '<div class="notice" markdown="1">\n**IMPORTANT:** we are [closed](https://x.org).\n* one\n</div>\n\nafter',
    );
    expect(html).toBe(
      '<div class="notice"><p><strong>IMPORTANT:</strong> we are <a href="https://x.org">closed</a>.</p><ul><li>one</li></ul></div><p>after</p>',
    );
  });

  it('renders nested markdown="1" blocks and IALs inside them', async () => {
    const { html } = await render(
      '<div class="pyos-section" markdown="1">\n<div class="content" markdown="1">\n## Programs\n{: .no_toc}\n</div>\n</div>',
    );
    expect(html).toBe('<div class="pyos-section"><div class="content"><h2 class="no_toc">Programs</h2></div></div>');
  });

  it('accepts spaces around the markdown attribute and blank lines inside', async () => {
    const { html } = await render('<div class = "notice" markdown ="1">\n\n### Survey\n{: .not_toc}\n\ntext\n\n</div>');
    expect(html).toBe('<div class="notice"><h3 class="not_toc">Survey</h3><p>text</p></div>');
  });

  it('leaves markdown="0" content as HTML', async () => {
    expect((await render('<div markdown="0">\n*not emphasis*\n</div>')).html).toBe('<div>\n*not emphasis*\n</div>');
  });

  it('points messages from the inner markdown at their file line', async () => {
    const { file } = await render('intro\n\n<div markdown="1">\ntext\n\n<!-- note -->\n{: .lost}\n</div>');
    expect(file.messages.map((message) => [message.ruleId, message.line])).toEqual([['kramdown-ial-unattached', 7]]);
  });
});
