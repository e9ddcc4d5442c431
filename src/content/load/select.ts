import type { ContentProblem } from '../../model/problem.ts';
import { collectRedirects, rejectDuplicates } from '../identity.ts';
import { report, type FileState, type LoaderState, type LoadRun, type Slice } from './state.ts';
import type { Selection, ServedFile } from './types.ts';

export type { Selection, ServedFile } from './types.ts';

/** What a file serves (see {@link ServedFile}), and the problems that go with it; nothing when it has no good version. */
export function servedVersion(file: string, fileState: FileState): { served: ServedFile | undefined; problems: ContentProblem[] } {
  const problems = [...fileState.problems];
  const served = fileState.entry ? { file, key: fileState.key, entry: fileState.entry } : fileState.lastGood ? { file, ...fileState.lastGood } : undefined;
  if (served && !fileState.entry) {
    problems.push({
      code: 'serving-last-good', severity: 'warning', line: 1, column: 1, field: null,
      message: 'this file has errors, so its last good version is still served',
      hint: 'Fix the errors above; the page updates as soon as the file is valid again.',
    });
  }
  return { served, problems };
}

/**
 * Chooses what each file serves (its current version, or its last good one while it has errors),
 * then the identities: duplicates rejected, redirect stubs turned into redirects, drafts kept
 * apart. Reports each file's problems.
 */
export async function select(state: LoaderState, run: LoadRun, slice: Slice): Promise<Selection> {
  const served: ServedFile[] = [];
  const privateFiles = new Set<string>();
  state.sortedFiles ??= [...state.files.keys()].sort();
  for (const file of state.sortedFiles) {
    const pause = slice();
    if (pause) await pause;
    const fileState = state.files.get(file)!;
    if (fileState.draft) privateFiles.add(file);
    const version = servedVersion(file, fileState);
    if (version.problems.length > 0) report(run, file, version.problems);
    if (version.served) served.push(version.served);
  }
  // A folder the listing passed over may hold drafts: its problem, like theirs, is for preview only.
  for (const [folder, code] of state.unlistedFolders) {
    privateFiles.add(folder);
    report(run, folder, [unlistedFolderProblem(code)]);
  }

  const entries = served.map(({ entry }) => entry);
  const identityProblems = new Map<string, ContentProblem[]>();
  const reportTo = (file: string, problems: ContentProblem[]) => {
    report(run, file, problems);
    identityProblems.set(file, [...(identityProblems.get(file) ?? []), ...problems]);
  };
  const stubs = entries.filter((entry) => entry.redirectTo !== null);
  const accepted = await rejectDuplicates(entries.filter((entry) => entry.redirectTo === null), reportTo, slice);
  const published = accepted.filter((entry) => entry.published);
  const redirects = await collectRedirects(published, stubs.filter((stub) => stub.published), reportTo, slice);
  return { served, accepted, published, redirects, privateFiles, identityProblems };
}

/** The problem of a folder the listing could not list (see discoverContent): a sentence and the error's code, never a machine path. */
function unlistedFolderProblem(code: string): ContentProblem {
  const why = code === 'ENAMETOOLONG' ? 'its path is longer than the system allows' : code === 'ENOENT' ? 'it vanished while the folder was listed' : 'it is not readable';
  return {
    code: 'folder-unlistable',
    severity: 'warning',
    line: 1,
    column: 1,
    field: null,
    message: `this folder could not be listed (${code}: ${why}), so no page in it is served`,
    hint: 'Shorten the path of the folder, or make it readable to the service.',
  };
}
