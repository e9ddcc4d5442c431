import type { PageEntry } from '../entry.ts';
import { collectRedirects, rejectDuplicates } from '../identity.ts';
import { report, type LoaderState, type LoadRun, type Slice } from './state.ts';

/** The pages a load serves: accepted (drafts included), published, and the redirects between paths. */
export interface Selection {
  /** Every page served, in file order, duplicates and redirect stubs left out. */
  accepted: PageEntry[];
  published: PageEntry[];
  redirects: ReadonlyMap<string, string>;
  /** Files whose problems only preview may see. */
  privateFiles: Set<string>;
}

/**
 * Chooses what each file serves (its current version, or its last good one while it has errors),
 * then the identities: duplicates rejected, redirect stubs turned into redirects, drafts kept
 * apart. Reports each file's problems.
 */
export async function select(state: LoaderState, run: LoadRun, slice: Slice): Promise<Selection> {
  const entries: PageEntry[] = [];
  const privateFiles = new Set<string>();
  state.sortedFiles ??= [...state.files.keys()].sort();
  for (const file of state.sortedFiles) {
    await slice();
    const fileState = state.files.get(file)!;
    if (fileState.draft) privateFiles.add(file);
    if (fileState.problems.length > 0) report(run, file, fileState.problems);
    const served = fileState.entry ? { key: fileState.key, entry: fileState.entry } : fileState.lastGood;
    if (served && fileState.lastGood && !fileState.entry) {
      report(run, file, [{
        code: 'serving-last-good', severity: 'warning', line: 1, column: 1, field: null,
        message: 'this file has errors, so its last good version is still served',
        hint: 'Fix the errors above; the page updates as soon as the file is valid again.',
      }]);
    }
    if (!served) continue;
    if (served.entry.published) run.versionParts.push(file, served.key);
    run.previewVersionParts.push(file, served.key);
    entries.push(served.entry);
  }

  const reportTo = (file: string, problems: Parameters<typeof report>[2]) => report(run, file, problems);
  const stubs = entries.filter((entry) => entry.redirectTo !== null);
  const accepted = rejectDuplicates(entries.filter((entry) => entry.redirectTo === null), reportTo);
  const published = accepted.filter((entry) => entry.published);
  const redirects = collectRedirects(published, stubs.filter((stub) => stub.published), reportTo);
  return { accepted, published, redirects, privateFiles };
}
