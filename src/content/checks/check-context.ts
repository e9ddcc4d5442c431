import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { ContentView } from '../../model/content-view.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import type { PageFacts } from '../../model/page-facts.ts';
import type { Reference } from './references.ts';

/** A page as the checks see it: what was served and what its author wrote. */
export interface CheckedPage {
  record: PageRecord;
  /** What its author wrote and what it serves, taken when it was read and rendered. */
  facts: PageFacts;
  references: readonly Reference[];
  /** The view the page belongs to: published pages link within the published site, drafts within the preview. */
  view: ContentView;
}

/** Everything a check may look at; checks never read files themselves. */
export interface CheckContext {
  snapshot: Snapshot;
  pages: readonly CheckedPage[];
  /** The pages whose problems are wanted, when not all of them (a check run in slices); `pages` is still the whole site. */
  checking?: readonly CheckedPage[];
  /** Every file of the content folder (relative paths with `/`), pages and assets alike. */
  files: ReadonlySet<string>;
}

/** One rule over the whole content: pure, so the CLI and the API get the same answer. */
export type ContentCheck = (context: CheckContext) => Diagnostic[];

/**
 * A check written as steps: it yields between pieces of work (a few hundred files or pages), so
 * a service can give the event loop back between them; its return value is its problems.
 */
export type CheckSteps = Generator<void, Diagnostic[], void>;

/** Runs a check's steps to the end in one go (the CLI, and every caller that does not slice). */
export function allSteps(steps: CheckSteps): Diagnostic[] {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
