import type { Diagnostic } from '../../schemas/diagnostic.ts';

/** A content problem before it is tied to a file (the loader adds `file`). */
export type ContentProblem = Omit<Diagnostic, 'file'>;
