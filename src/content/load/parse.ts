import { bodyOfSource, contentKey, readEntry, readSource, withModified, type ReadEntry, type SourceText } from '../entry.ts';
import { splitFrontMatter } from '../front-matter.ts';
import { contentLimits } from '../limits.ts';
import type { ParseOutcome } from '../render-pool.ts';
import { refusalProblem } from '../safe-file.ts';
import { createTimeSlicer, forEachSliced } from '../time-slice.ts';
import { deleteFile, setFile, type FileState, type LoaderState, type LoadRun } from './state.ts';

/** Files read at once: enough to keep the disk busy, few enough that the event loop gets control between slices. */
const READ_CONCURRENCY = 32;

/**
 * The fewest files whose lstat is taken at once on a worker before they are looked at (see
 * SafeFileReader.prime): starting the worker takes 40-70 ms of waiting (little of it on the main
 * thread), which 10,000 files repay (about 150 ms of the main thread) and a live edit's few files
 * never would.
 */
export const PRIME_MIN_FILES = 1000;

/**
 * Files whose front matter goes to a render worker at once, and the fewest a load parses there.
 * Parsing a front matter takes about 0.3 ms (10,000 files: 3 s, and with their reading the 4-5 s
 * the main thread spent on a cold start while the workers waited for the render), so a load
 * that reads a whole folder sends its files to the workers as they are read, from the first
 * batch on; the main thread is left with reading them (about 1 s of its time instead of 3.5 s).
 * Starting a worker costs 0.3-1.5 s of a core (it loads the renderer), and a message to a warm
 * one waits for whatever it is doing: fewer files than one batch (a live edit, a touched file, a
 * handful of test pages: 64 front matters are about 20 ms) are parsed on the main thread, but
 * for a large front matter (see MAIN_THREAD_FRONT_MATTER_BYTES).
 */
const PARSE_BATCH = 64;

/**
 * The largest front matter parsed on the main thread, in bytes: about 1.5 ms once the parser's
 * code is optimized (0.2 ms a kilobyte), a few before. A larger one is parsed on a worker.
 */
const MAIN_THREAD_FRONT_MATTER_BYTES = 8 * 1024;

/** Whether a file's front matter is short enough to be parsed on the main thread (see {@link MAIN_THREAD_FRONT_MATTER_BYTES}). */
export function parsesOnMainThread(text: string): boolean {
  return Buffer.byteLength(splitFrontMatter(text).yaml) <= MAIN_THREAD_FRONT_MATTER_BYTES;
}

/** A file read whose front matter is yet to be parsed, with what its state is made of. */
interface Unparsed {
  source: SourceText;
  size: number;
  key: string;
  previous: FileState | undefined;
}

/**
 * Reads the files that changed and splits and validates their front matter; returns how many were
 * read. The main thread looks at and reads every file through the safe reader (symlinks, sizes,
 * UTF-8), a few dozen at a time, and hands the event loop back between slices. A front matter
 * already parsed with the same content and rules (the parsed cache) is reused; the others are
 * parsed in batches on the render workers while the reading goes on (see {@link PARSE_BATCH}).
 * A file a worker could not get through (deadline, crash) gets that problem alone, and keeps its
 * last good version served.
 */
export async function parse(
  state: LoaderState,
  run: Pick<LoadRun, 'rules' | 'rulesKey' | 'siteSources' | 'siteKey'>,
  paths: readonly string[],
  primed?: Promise<void>,
): Promise<number> {
  let read = 0;
  let batch: Unparsed[] = [];
  const parsing: Promise<void>[] = [];
  const site = { site: run.siteSources, siteKey: run.siteKey, rulesKey: run.rulesKey };
  const send = (sent = batch) => {
    if (sent === batch) batch = [];
    parsing.push(state.pool.parse(site, sent.map((unparsed) => unparsed.source)).then((outcomes) => {
      sent.forEach((unparsed, at) => settle(state, run.rulesKey, unparsed, outcomes[at]));
    }));
  };
  // Primed already when the whole folder was listed as the load began (see listFolder in scan.ts).
  if (primed) await primed.catch(() => undefined);
  else if (paths.length >= PRIME_MIN_FILES) await state.reader.prime(paths);
  await forEachSliced(paths, READ_CONCURRENCY, async (file) => {
    const unparsed = await refresh(state, file, run.rulesKey);
    if (unparsed) read += 1;
    if (!unparsed || unparsed === true) return;
    batch.push(unparsed);
    if (batch.length === PARSE_BATCH) send();
  });
  if (parsing.length > 0 && batch.length > 0) send();
  // Too few files to be worth a worker (a live edit): parsed here, handing the event loop back
  // between them, except a large front matter (one near the caps takes tens of milliseconds),
  // which a worker reads under its deadline, so that no file holds the event loop for long.
  const large = batch.filter((unparsed) => !parsesOnMainThread(unparsed.source.text));
  if (large.length > 0) send(large);
  const slice = createTimeSlicer();
  for (const unparsed of batch.filter((unparsed) => !large.includes(unparsed))) {
    const pause = slice();
    if (pause) await pause;
    const { file, text, modified } = unparsed.source;
    settle(state, run.rulesKey, unparsed, { ok: true, read: readEntry(run.rules, file, text, modified, run.rulesKey) });
  }
  await Promise.all(parsing);
  return read;
}

/**
 * Looks at one file and reads it again if it changed (or forgets it if it is gone). Gives what is
 * left to parse, or true when the file was read and is settled already (refused, unreadable, or
 * its front matter in the parsed cache), or false when it was not read.
 */
async function refresh(state: LoaderState, file: string, rulesKey: string): Promise<Unparsed | boolean> {
  const previous = state.files.get(file);
  // Every file is looked at through the safe reader: a symlink out of the folder, a FIFO or a
  // device is reported and skipped (never served, not even its last good version).
  const info = await state.reader.look(file);
  if (!info.ok) {
    if (info.reason === 'missing') deleteFile(state, file);
    else setFile(state, file, { modified: info.modified ?? 0, size: info.size ?? 0, rulesKey, key: '', entry: null, problems: [refusalProblem(info.reason, contentLimits.maxFileBytes, info.size)], draft: true, lastGood: null });
    return false;
  }
  if (previous && previous.key && previous.modified === info.modified && previous.size === info.size && previous.rulesKey === rulesKey) return false;
  const source = await readSource(state.reader, file);
  if (!source) {
    deleteFile(state, file);
    return false;
  }
  if ('problem' in source) {
    // A file that cannot be read may be a draft: its problem is for preview only.
    const refused = source.problem.code === 'symlink-outside' || source.problem.code === 'not-a-regular-file';
    setFile(state, file, { modified: source.modified, size: source.size, rulesKey, key: '', entry: null, problems: [source.problem], draft: true, lastGood: refused ? null : previous?.lastGood ?? null });
    return true;
  }
  const unparsed = { source: { file, text: source.text, modified: source.modified }, size: source.size, key: contentKey(rulesKey, file, source.text), previous };
  const parsed = state.parsedCache.peek(unparsed.key);
  if (!parsed) return unparsed;
  settle(state, rulesKey, unparsed, { ok: true, read: parsed });
  return true;
}

/**
 * Records what parsing a file gave. A parse that a worker did not get through is not cached and
 * its file keeps no content key (it says nothing of the file's content, a busy machine may have
 * caused it: the next load that looks at the file reads it again), and, like a front matter that
 * cannot be read, leaves the file's last good version served.
 */
function settle(state: LoaderState, rulesKey: string, unparsed: Unparsed, outcome: ParseOutcome): void {
  const { source, size, key, previous } = unparsed;
  let parsed: ReadEntry;
  if (outcome.ok) {
    parsed = outcome.read;
    state.parsedCache.set(key, parsed);
  } else {
    parsed = { entry: null, problems: [outcome.problem], draft: true };
  }
  const entry = parsed.entry && withModified(parsed.entry, source.modified);
  // The body is kept until this load has rendered what it needs, within a budget (see LoaderState.sourceBodies).
  if (entry) state.sourceBodies.keep(key, bodyOfSource(source.text));
  setFile(state, source.file, {
    modified: source.modified,
    size,
    key: outcome.ok ? key : '',
    rulesKey,
    entry,
    problems: parsed.problems,
    draft: parsed.draft,
    lastGood: entry ? { key, entry } : previous?.lastGood ?? null,
  });
}
