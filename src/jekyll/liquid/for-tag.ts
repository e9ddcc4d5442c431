import { ForTag, type Context, type Emitter, type Template } from 'liquidjs';
import { STATE, type RenderState } from './render-state.ts';

/** `for`, remembering its loop variable so includes inside it can hand it to the frontend. */
export class JekyllForTag extends ForTag {
  override *render(ctx: Context, emitter: Emitter): Generator<unknown, void | string, Template[]> {
    const state = ctx.getRegister<RenderState | undefined>(STATE);
    state?.loopVariables.push(this.variable);
    try {
      return yield* super.render(ctx, emitter);
    } finally {
      state?.loopVariables.pop();
    }
  }
}
