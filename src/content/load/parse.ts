import { readEntry, readSource } from '../entry.ts';
import { contentLimits } from '../limits.ts';
import { refusalProblem } from '../safe-file.ts';
import type { SiteRules } from '../site-rules.ts';
import { forEachSliced } from '../time-slice.ts';
import { hash } from './hash.ts';
import { deleteFile, setFile, type LoaderState } from './state.ts';

/** Files read at once: enough to keep the disk busy, few enough that their parsing comes in slices. */
const READ_CONCURRENCY = 32;

/**
 * Reads the files that changed and splits and validates their front matter; returns how many were
 * read. Files are read a few dozen at a time and the event loop gets control between slices:
 * reading a whole folder at once would parse thousands of front matters back to back.
 */
export async function parse(state: LoaderState, input: { paths: string[]; rules: SiteRules; rulesKey: string }): Promise<number> {
  let read = 0;
  await forEachSliced(input.paths, READ_CONCURRENCY, async (file) => {
    if (await refresh(state, file, input.rules, input.rulesKey)) read += 1;
  });
  return read;
}

/** Re-reads one file if it changed (or forgets it if it is gone); true if it was read. */
async function refresh(state: LoaderState, file: string, rules: SiteRules, rulesKey: string): Promise<boolean> {
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
  const key = hash(rulesKey, file, source.text);
  let parsed = state.parsedCache.peek(key);
  if (!parsed) {
    parsed = readEntry(rules, file, source.text, source.modified);
    state.parsedCache.set(key, parsed);
  }
  // The cached entry may come from an identical file read earlier: keep this file's own date.
  const entry = parsed.entry ? { ...parsed.entry, modified: source.modified } : null;
  setFile(state, file, {
    modified: source.modified,
    size: source.size,
    key,
    rulesKey,
    entry,
    problems: parsed.problems,
    draft: parsed.draft,
    lastGood: entry ? { key, entry } : previous?.lastGood ?? null,
  });
  return true;
}
