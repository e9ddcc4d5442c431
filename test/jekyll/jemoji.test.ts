import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { emojify, rehypeJemoji } from '../../src/jekyll/jemoji.ts';

describe('jemoji', () => {
  it('turns GitHub emoji shortcodes into emoji and leaves unknown ones and times alone', () => {
    expect(emojify('Community :heart: and :+1: :tada:')).toBe('Community \u2764\uFE0F and 👍 🎉');
    expect(emojify('from 9:30:00 to :not-an-emoji:')).toBe('from 9:30:00 to :not-an-emoji:');
  });

  it('rewrites the text of a page outside code', () => {
    const tree = fromHtml('<p>I :heart: <em>it :grin:</em></p><pre><code>:heart:</code></pre><p><code>:grin:</code></p>', {
      fragment: true,
    });
    rehypeJemoji()(tree);
    expect(toHtml(tree)).toBe('<p>I \u2764\uFE0F <em>it 😁</em></p><pre><code>:heart:</code></pre><p><code>:grin:</code></p>');
  });
});
