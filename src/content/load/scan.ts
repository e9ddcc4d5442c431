import { stat } from 'node:fs/promises';
import { discoverContent, isContentPath } from '../discover.ts';
import { startLstatWorker } from '../lstat-batch.ts';
import { PRIME_MIN_FILES } from './parse.ts';
import { withModified } from '../entry.ts';
import { createTimeSlicer, filterSliced } from '../time-slice.ts';
import { deleteFile, setFile, type LoaderState } from './state.ts';

/** The content folder cannot be listed: gone, unmounted, not a folder or not readable. The message names no path. */
export class ContentFolderUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`the content folder cannot be read (${reason})`);
    this.name = 'ContentFolderUnavailable';
  }
}

/**
 * Checks the content folder is there. A folder that is gone or unreadable (an unmounted volume)
 * is a failed load, not an empty site: the last good version stays served.
 */
export async function checkFolder(state: LoaderState): Promise<void> {
  const folder = await stat(state.root).catch((error: NodeJS.ErrnoException) => error);
  if (folder instanceof Error || !folder.isDirectory()) {
    throw new ContentFolderUnavailable(folder instanceof Error ? folder.code ?? 'unreadable' : 'not a folder');
  }
}

/**
 * On the first load with a warm-start pack, reads what it holds: the parsed files, the file index
 * (the files they describe are not read again) and the link checks (renders whose links were
 * checked in a link context need no check in the same one) at once, and starts reading the renders
 * (the large part), to be awaited before the first render lookup.
 */
export async function warmStart(state: LoaderState): Promise<{ rendersRead: Promise<void> }> {
  const { pack } = state;
  if (!pack || state.packRead) return { rendersRead: Promise.resolve() };
  state.packRead = true;
  // Read side by side: one pack's reads and MAC checks (libuv's threads) overlap another's deserializing.
  const rendersRead = pack.read('renders');
  await Promise.all([pack.read('parsed'), pack.read('files'), pack.read('links')]);
  // 10,000 files take about 100 ms to set up: in slices.
  const slice = createTimeSlicer();
  for (const [file, known] of state.knownFiles) {
    const pause = slice();
    if (pause) await pause;
    const parsed = state.parsedCache.peek(known.key);
    const entry = parsed?.entry ? withModified(parsed.entry, known.modified) : null;
    if (!parsed || !entry) continue;
    // Written out, not spread from `known`: on Node 20, V8 gives each object spread from another
    // and then extended a hidden class of its own (10,000 classes and descriptor arrays here).
    const { modified, size, key, rulesKey } = known;
    setFile(state, file, { modified, size, key, rulesKey, entry, problems: parsed.problems, draft: parsed.draft ?? !entry.published, lastGood: { key, entry } });
  }
  state.knownFiles.clear();
  return { rendersRead };
}

/** A whole load's listing of the folder, begun before the site rules are known (see {@link listFolder}). */
export interface FolderListing {
  /** Every file named like a page, before the site rules choose among them. */
  candidates: Promise<string[]>;
  /** Settles once the candidates' lstats are taken on a worker (or it is not worth one): see SafeFileReader.prime. */
  primed: Promise<void>;
  /** The folders inside that could not be listed, with the error's code: complete once `candidates` resolves. */
  unlisted: ReadonlyMap<string, string>;
}

/**
 * Lists the folder and takes its files' lstats at once, for a load that looks at every file: begun
 * as the load begins, so that the listing and the lstat worker's start (40-70 ms of waiting) go on
 * while the warm-start pack is read, instead of after it. The site rules pick the pages later
 * (see {@link scan}); a file they leave out is never looked at, and its lstat is dropped with
 * the load's.
 */
export function listFolder(state: LoaderState): FolderListing {
  const unlisted = new Map<string, string>();
  // Started at once when the folder is likely large enough for one (as many files as it takes
  // last time, or a first start from a warm-start cache: a deployed site), so that the worker
  // starts while the folder is listed; ended unused if the folder turns out smaller.
  const worker = state.files.size >= PRIME_MIN_FILES || (!state.last && state.pack) ? startLstatWorker() : undefined;
  const candidates = discoverContent(state.root, () => true, (folder, code) => unlisted.set(folder, code));
  // Primed: the files most sites' rules take (not hidden, temporary or in node_modules, vendor…);
  // a file the rules take besides (a folder `include:`d) is looked at without.
  const primed = candidates.then(async (files) => {
    const likely = await filterSliced(files, isContentPath);
    if (likely.length >= PRIME_MIN_FILES) return state.reader.prime(likely, worker);
    worker?.stop();
  }, (error: Error) => {
    worker?.stop();
    throw error;
  });
  // Whoever uses the listing sees its failure (scan); these copies must not be left unhandled meanwhile.
  candidates.catch(() => undefined);
  primed.catch(() => undefined);
  return { candidates, primed, unlisted };
}

/**
 * The files to look at. A watcher names the files it saw change (a rename names both the old and
 * the new file); any other load lists the whole folder (`listing`, when begun already), which
 * also catches files removed behind our back.
 */
export async function scan(
  state: LoaderState,
  input: { changed?: readonly string[]; listing?: FolderListing; isContentFile: (file: string) => boolean; rulesKey: string },
): Promise<string[]> {
  const incremental = input.changed !== undefined && input.rulesKey === state.lastRulesKey;
  state.lastRulesKey = input.rulesKey;
  if (incremental) return [...new Set(input.changed)].filter((file) => input.isContentFile(file) || state.files.has(file));
  let unlisted: ReadonlyMap<string, string>;
  let paths: string[];
  if (input.listing) {
    paths = await filterSliced(await input.listing.candidates, input.isContentFile);
    unlisted = input.listing.unlisted;
  } else {
    const found = new Map<string, string>();
    paths = await discoverContent(state.root, input.isContentFile, (folder, code) => found.set(folder, code));
    unlisted = found;
  }
  state.unlistedFolders = unlisted;
  const present = new Set(paths);
  for (const file of state.files.keys()) if (!present.has(file)) deleteFile(state, file);
  return paths;
}
