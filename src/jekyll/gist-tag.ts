import { Tag, type Context, type Emitter, type Liquid, type TagToken, type TopLevelToken } from 'liquidjs';
import { componentPlaceholder, escapeAttribute, placementOf, type RecordComponent } from './components.ts';
import { valueText } from './liquid/value-text.ts';

/** jekyll-gist's arguments: `user/id` or `id`, then an optional file name, either may be a variable. */
const GIST_ARGUMENTS = /^\s*(\S+)(?:\s+(\S+))?\s*$/;
/** What a gist id looks like once evaluated: hex, optionally behind `user/`. */
const GIST_ID = /^(?:[\w-]+\/)?[0-9a-f]+$/i;

/**
 * jekyll-gist's `{% gist id [file] %}`. Jekyll writes a `<script>` from gist.github.com, which the
 * sanitizer would drop; here the gist becomes a component (kind `gist`, params `id` and `file`)
 * whose placeholder holds a plain link to the gist, so the page still points at it without script.
 */
export function createGistTag(recordComponent: RecordComponent) {
  return class GistTag extends Tag {
    private readonly id: string;
    private readonly file: string | undefined;
    private readonly placement: 'block' | 'inline';

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      const match = GIST_ARGUMENTS.exec(token.args);
      if (!match) throw new Error("gist needs the gist's id: {% gist 1234567 %} or {% gist user/1234567 file.py %}");
      [, this.id, this.file] = match;
      this.placement = placementOf(token);
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      // Like jekyll-gist, an argument that names a variable in scope is that variable's value.
      const id = valueText((yield this.valueOf(this.id, ctx)) ?? '');
      const file = this.file === undefined ? undefined : valueText((yield this.valueOf(this.file, ctx)) ?? '');
      if (!GIST_ID.test(id)) throw new Error(`gist id ${JSON.stringify(id)} is not a gist id (hex digits, optionally after user/)`);
      const [line] = this.token.getPosition();
      const component = recordComponent(ctx, {
        kind: 'gist',
        name: 'gist',
        params: { id, ...(file ? { file } : {}) },
        line,
        placement: this.placement,
      });
      emitter.write(
        componentPlaceholder(component, `<a href="${escapeAttribute(gistUrl(id, file))}">${escapeAttribute(file ?? `gist ${id}`)}</a>`),
      );
    }

    private *valueOf(argument: string, ctx: Context): Generator<unknown, unknown, unknown> {
      const unquoted = /^(["'])(.*)\1$/.exec(argument);
      if (unquoted) return unquoted[2];
      const value = yield ctx.get([argument]);
      return value ?? argument;
    }
  };
}

/** The gist's page on GitHub, at the file's anchor when one is named (`#file-name-py`, as GitHub writes it). */
export function gistUrl(id: string, file?: string): string {
  const anchor = file ? `#file-${file.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : '';
  return `https://gist.github.com/${id}${anchor}`;
}
