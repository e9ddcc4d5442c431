import { Tag, type Context, type Emitter, type Liquid, type Parser, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import { escapeAttribute } from '../components.ts';

/** Jekyll's `{% highlight lang %}…{% endhighlight %}`, as a code block with a language class. */
export class HighlightTag extends Tag {
  private readonly language: string;
  private readonly templates: Template[] = [];

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid);
    this.language = token.args.trim().split(/\s+/)[0] ?? '';
    while (remainTokens.length > 0) {
      const next = remainTokens.shift()!;
      if ('name' in next && next.name === 'endhighlight') return;
      this.templates.push(parser.parseToken(next, remainTokens));
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const code = String(yield this.liquid.renderer.renderTemplates(this.templates, ctx)).replace(/^\n+|\s+$/g, '');
    const language = this.language ? ` class="language-${escapeAttribute(this.language)}"` : '';
    emitter.write(`<pre class="highlight"><code${language}>${escapeText(code)}</code></pre>`);
  }
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
