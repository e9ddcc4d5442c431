import { toValue, type Context, type Emitter, type Liquid } from 'liquidjs';
import { contentLimits } from '../../content/limits.ts';
import { LiquidLimitError } from './limits.ts';
import { STATE, type RenderState } from './render-state.ts';
import { valueText } from './value-text.ts';

/**
 * Counts what every emitter writes (the page's, and those of `capture`, `highlight`… which
 * liquidjs creates itself) against `maxOutputBytes`, by handing each render an emitter of ours.
 */
export function countOutput(liquid: Liquid): void {
  const renderer = liquid.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = (templates, ctx, emitter) => renderTemplates(templates, ctx, emitter ?? new CountingEmitter(ctx));
}

/**
 * liquidjs's SimpleEmitter, with a byte budget shared by every emitter of a render. It holds back
 * the spaces and tabs written last, so dropping the indentation before an include (see
 * removeIndentation) costs the length of that indentation, not of the whole output so far.
 */
export class CountingEmitter implements Emitter {
  private text = '';
  /** Spaces and tabs at the end of what was written. */
  private blanks = '';
  private readonly state: RenderState | undefined;

  constructor(ctx: Context) {
    this.state = ctx.getRegister<RenderState | undefined>(STATE);
  }

  write(html: unknown): void {
    const text = outputText(html);
    if (this.state) {
      // A string's UTF-8 size is at least its length: refuse a huge one before measuring it.
      const remaining = contentLimits.liquid.maxOutputBytes - this.state.outputBytes;
      const bytes = text.length > remaining ? text.length : Buffer.byteLength(text);
      if (bytes > remaining) throw new LiquidLimitError('maxOutputBytes');
      this.state.outputBytes += bytes;
    }
    let end = text.length;
    while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end -= 1;
    if (end === 0) {
      this.blanks += text;
    } else {
      this.text += this.blanks + text.slice(0, end);
      this.blanks = text.slice(end);
    }
  }

  // liquidjs reads `buffer` at the end of every block rendered into this emitter: keep it cheap.
  get buffer(): string {
    return this.blanks === '' ? this.text : this.text + this.blanks;
  }

  set buffer(text: string) {
    this.text = text;
    this.blanks = '';
  }

  /** Drops the spaces and tabs at the end of what was written. */
  trimTrailingBlanks(): void {
    this.blanks = '';
  }
}

/** How liquidjs turns an output value into text (`stringify`, not exported). */
function outputText(value: unknown): string {
  const plain: unknown = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain == null) return '';
  if (Array.isArray(plain)) return plain.map(outputText).join('');
  return valueText(plain);
}

/**
 * A block placeholder indented by the template (`    {% include x %}` in a loop) would be an
 * indented code block to markdown; Jekyll's kramdown does not read HTML that way, so drop the indent.
 */
export function removeIndentation(emitter: Emitter): void {
  if (emitter instanceof CountingEmitter) return emitter.trimTrailingBlanks();
  const output = emitter as Emitter & { buffer?: unknown };
  if (typeof output.buffer === 'string') output.buffer = output.buffer.replace(/[ \t]+$/, '');
}
