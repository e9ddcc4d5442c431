import { close, closeSync, constants, fstat, fstatSync, lstat, open, openSync, read, readlink, readlinkSync, readSync, realpath, realpathSync, stat, statSync, type Stats } from 'node:fs';
import { open as openHandle, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ContentProblem } from '../model/problem.ts';
import { LstatTable, lstatInWorker, type LstatWorker } from './lstat-batch.ts';
import { createTimeSlicer } from './time-slice.ts';

// The callback forms: for many small files they are about twice as fast as fs/promises (whose
// calls go through a FileHandle, one promise per step), which a 10,000-file load feels.
const lstatAsync = promisify(lstat);
const fstatAsync = promisify(fstat);
const openAsync = promisify(open);
const closeAsync = promisify(close);
const readAsync = promisify(read);
const realpathAsync = promisify(realpath.native);
const readlinkAsync = promisify(readlink);
const statAsync = promisify(stat);

/**
 * Opened without following a final symlink (the real path was checked just before) and without
 * blocking (a FIFO swapped in after the check opens at once, then is refused by fstat).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Why a file was not read. `missing` is ordinary (a file removed meanwhile); the others are worth a warning. */
export type RefusalReason = 'missing' | 'outside-root' | 'not-a-file' | 'too-large' | 'unreadable';

/** What looking at a file gave: a regular file inside the root (its real path, size and time), or why not. */
export type FileLook =
  | { ok: true; real: string; size: number; modified: number }
  | { ok: false; reason: RefusalReason; size?: number; modified?: number };

/** What reading a file gave: its bytes, or why they were not read. */
export type FileRead =
  | { ok: true; bytes: Buffer; size: number; modified: number }
  | { ok: false; reason: RefusalReason; size?: number; modified?: number };

/**
 * What opening a file gave: its open handle (checked on the handle itself: a regular file, within
 * the size), or why it was not opened. The caller closes the handle.
 */
export type FileOpen =
  | {
      ok: true;
      handle: FileHandle;
      size: number;
      modified: number;
      /** Which version of the file this is: device, inode, size and modification time, from the open handle. */
      version: string;
    }
  | { ok: false; reason: RefusalReason; size?: number; modified?: number };

/**
 * The one way the service opens a file of the content folder (pages, `_config.yml`, `_data/**`,
 * `_includes/**`): only regular files whose real path lies inside the folder's real path, and
 * only up to a size given by the caller, checked before a byte is read. A symlink is followed
 * only when it ends inside the folder; FIFOs, sockets and devices are never opened.
 */
export interface SafeFileReader {
  /** The folder's real path (symlinks resolved). */
  readonly root: string;
  /** Whether `relative` names a regular file inside the folder, without opening it. */
  look(relative: string): Promise<FileLook>;
  /**
   * {@link look} for many files, in order. A file whose lstat was primed, a regular file in a
   * folder whose real path is known, is looked at without waiting for anything: at 10,000 files,
   * a loop of a few milliseconds rather than 10,000 looks' promises. The others are looked at as
   * `look` does. The event loop is handed back between slices.
   */
  lookAll(relatives: readonly string[]): Promise<FileLook[]>;
  /** Reads `relative` if it is a regular file inside the folder and at most `maxBytes` long. */
  read(relative: string, maxBytes: number): Promise<FileRead>;
  /**
   * Opens `relative` under the same checks as {@link read}, without reading it: for a file sent as
   * a stream, read from this handle (never reopened by path, so nothing swapped in after the check is read).
   */
  open(relative: string, maxBytes: number): Promise<FileOpen>;
  /**
   * Takes the lstat of many files at once, off the main thread, for their next look in this load
   * (a read still takes its own), if no other load has begun since it was asked for. Never
   * rejects: what it could not take, a look takes itself. On `worker`, when given one started
   * already (see startLstatWorker).
   */
  prime(relatives: readonly string[], worker?: LstatWorker): Promise<void>;
  /**
   * Whether each of `relatives` is, by this load's primed lstats, still the regular file it was:
   * inside the folder (its folder's real path inside the folder's), of the size and modification
   * time `expected` gives for its place. A resumed start's check that nothing changed: one pass
   * over the lstats, without a look (an object, a path and a promise) a file. Null when a look
   * must judge instead: the prime did not take exactly these files in this order, or one is not
   * a regular file in a folder inside (a symlink, say), or a load began meanwhile. An answer
   * uses the lstats up, as the files' looks would.
   */
  unchangedSincePrime(relatives: readonly string[], expected: (at: number) => readonly [size: number, modified: number]): Promise<boolean | null>;
  /** Forgets what looks learned of the folder (its folders' real paths, the primed lstats): the loader calls it as each load begins. */
  beginLoad(): void;
}

/** No lstats taken (see SafeFileReader.prime). */
const NOTHING_TAKEN = new LstatTable(new Float64Array(0), new Map());

/** Files a loop of path operations goes through between two reads of the clock (see createTimeSlicer). */
const FAST_ITEMS = 32;

/** What a look reads of an lstat: Stats, or what {@link SafeFileReader.prime} took. */
type Lstat = Pick<Stats, 'size' | 'mtimeMs' | 'isFile' | 'isSymbolicLink'>;

/**
 * An lstat taken by prime, read as a look reads an lstat. A class: a warm start makes 10,000 of
 * them, and an object spread from the outcome and given two closures took a hidden class of its
 * own on Node 20.
 */
class PrimedLstat implements Lstat {
  constructor(
    private readonly kind: 'file' | 'symlink' | 'other',
    readonly size: number,
    readonly mtimeMs: number,
  ) {}

  isFile(): boolean {
    return this.kind === 'file';
  }

  isSymbolicLink(): boolean {
    return this.kind === 'symlink';
  }
}

export function createSafeFileReader(root: string): SafeFileReader {
  const lexicalRoot = path.resolve(root);
  const resolve = (relative: string) => resolveUnder(lexicalRoot, relative);
  let realRoot: string | undefined;
  const resolveRoot = async () => (realRoot ??= await realpathAsync(lexicalRoot).catch(() => lexicalRoot));
  // The real path of each folder files were looked at in, resolved once per load (beginLoad):
  // a regular file's real path is its folder's and its name, so looking at the 10,000 unchanged
  // files of a warm start takes a few realpath calls, not 10,000. Only looks use it: a file read
  // (whose bytes will be served) has its own real path resolved just before it is opened. One
  // entry per folder of the site, dropped as each load begins.
  let folders = new Map<string, Promise<string>>();
  const realFolder = (folder: string): Promise<string> => {
    let real = folders.get(folder);
    if (!real) {
      real = realpathAsync(folder);
      // A folder gone stays gone for the rest of the load: each look of its files reports them missing.
      real.catch(() => undefined);
      folders.set(folder, real);
    }
    return real;
  };

  // lstats taken by prime (`taken`), by path their place in it: each used by one look of this load.
  let primed = new Map<string, number>();
  let taken = NOTHING_TAKEN;
  // The files primed, by their place in `taken`, when every one was (see unchangedSincePrime).
  let primedFiles: readonly string[] = [];
  // Loads begun (beginLoad): a prime keeps its lstats only for the load it was asked for in.
  let loads = 0;
  const lstatOf = async (absolute: string, looking: boolean): Promise<Lstat> => {
    const at = looking ? primed.get(absolute) : undefined;
    if (at === undefined) return lstatAsync(absolute);
    primed.delete(absolute);
    const code = taken.code(at);
    if (code !== undefined) throw Object.assign(new Error(code), { code });
    return new PrimedLstat(taken.kind(at), taken.size(at), taken.mtimeMs(at));
  };

  const look = (relative: string) => inspect(relative, true);

  /** The answer of unchangedSincePrime, the lstats used up; null if a load began meanwhile (its lstats are its own). */
  const settle = (load: number, unchanged: boolean): boolean | null => {
    if (load !== loads) return null;
    primed = new Map();
    taken = NOTHING_TAKEN;
    primedFiles = [];
    return unchanged;
  };

  // `looking`: a look, which may use what this load learned (folders' real paths, primed lstats); a read takes its own.
  async function inspect(relative: string, looking: boolean): Promise<FileLook> {
    const absolute = resolve(relative);
    if (!isInside(lexicalRoot, absolute)) return { ok: false, reason: 'outside-root' };
    let info: Lstat;
    try {
      info = await lstatOf(absolute, looking);
    } catch (error) {
      return { ok: false, reason: missingOrUnreadable(error) };
    }
    // Anything but a regular file or a symlink is refused before it is opened (a FIFO would block).
    if (!info.isFile() && !info.isSymbolicLink()) return { ok: false, reason: 'not-a-file', modified: info.mtimeMs };
    let real: string;
    try {
      real =
        looking && info.isFile() ? path.join(await realFolder(path.dirname(absolute)), path.basename(absolute)) : await realpathAsync(absolute);
    } catch (error) {
      return { ok: false, reason: missingOrUnreadable(error) };
    }
    // realpath resolves every component, so a symlinked folder on the way out is caught too.
    if (!isInside(await resolveRoot(), real)) return { ok: false, reason: 'outside-root' };
    if (info.isSymbolicLink()) {
      try {
        info = await lstatAsync(real);
      } catch (error) {
        return { ok: false, reason: missingOrUnreadable(error) };
      }
      if (!info.isFile()) return { ok: false, reason: 'not-a-file', modified: info.mtimeMs };
    }
    return { ok: true, real, size: info.size, modified: info.mtimeMs };
  }

  async function read(relative: string, maxBytes: number): Promise<FileRead> {
    const looked = await inspect(relative, false);
    if (!looked.ok) return looked;
    if (looked.size > maxBytes) return { ok: false, reason: 'too-large', size: looked.size, modified: looked.modified };
    let fd: number;
    try {
      fd = await openAsync(looked.real, OPEN_FLAGS);
    } catch (error) {
      return { ok: false, reason: missingOrUnreadable(error) };
    }
    try {
      const info = await fstatAsync(fd);
      const refused = refusalOfOpened(info, maxBytes);
      if (refused) return refused;
      if (!(await openedInside(fd, info, looked.real, await resolveRoot()))) return OUTSIDE;
      const bytes = Buffer.allocUnsafe(info.size);
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await readAsync(fd, bytes, filled, bytes.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return readOf(bytes, filled, info.mtimeMs);
    } catch {
      return { ok: false, reason: 'unreadable' };
    } finally {
      await closeAsync(fd).catch(() => undefined);
    }
  }

  async function openChecked(relative: string, maxBytes: number): Promise<FileOpen> {
    const looked = await inspect(relative, false);
    if (!looked.ok) return looked;
    if (looked.size > maxBytes) return { ok: false, reason: 'too-large', size: looked.size, modified: looked.modified };
    let handle: FileHandle;
    try {
      handle = await openHandle(looked.real, OPEN_FLAGS);
    } catch (error) {
      return { ok: false, reason: missingOrUnreadable(error) };
    }
    let refusal: FileOpen;
    try {
      const info = await handle.stat();
      const refused = refusalOfOpened(info, maxBytes) ?? ((await openedInside(handle.fd, info, looked.real, await resolveRoot())) ? null : OUTSIDE);
      if (!refused) return { ok: true, handle, size: info.size, modified: info.mtimeMs, version: fileVersion(info) };
      refusal = refused;
    } catch {
      refusal = { ok: false, reason: 'unreadable' };
    }
    await handle.close().catch(() => undefined);
    return refusal;
  }

  async function lookAll(relatives: readonly string[]): Promise<FileLook[]> {
    const slice = createTimeSlicer(8, FAST_ITEMS);
    const root = await resolveRoot();
    const looks: FileLook[] = [];
    // Each folder's real path as resolved (null: it could not be), without a promise a file.
    const known = new Map<string, string | null>();
    const folderOf = async (folder: string) => {
      let real = known.get(folder);
      if (real === undefined) known.set(folder, (real = await realFolder(folder).catch(() => null)));
      return real;
    };
    for (const relative of relatives) {
      const pause = slice();
      if (pause) await pause;
      const absolute = resolve(relative);
      const at = primed.get(absolute);
      const regular = at !== undefined && taken.code(at) === undefined && taken.kind(at) === 'file' && isInside(lexicalRoot, absolute);
      // `absolute` is resolved: its folder and name are either side of its last separator.
      const cut = absolute.lastIndexOf(path.sep);
      const dir = cut === 0 ? path.sep : absolute.slice(0, cut);
      const folder = regular ? (known.get(dir) ?? (await folderOf(dir))) : null;
      if (!folder || at === undefined) {
        looks.push(await inspect(relative, true));
        continue;
      }
      primed.delete(absolute);
      // A regular file's real path is its folder's and its name (see realFolder), both resolved.
      const real = `${folder === path.sep ? '' : folder}${path.sep}${absolute.slice(cut + 1)}`;
      looks.push(isInside(root, real) ? { ok: true, real, size: taken.size(at), modified: taken.mtimeMs(at) } : { ok: false, reason: 'outside-root' });
    }
    return looks;
  }

  return {
    get root() {
      return realRoot ?? lexicalRoot;
    },
    look,
    lookAll,
    read,
    open: openChecked,
    async prime(relatives, worker) {
      const load = loads;
      // Two path operations a file: at 10,000 files, tens of milliseconds, given back in slices.
      const slice = createTimeSlicer(8, FAST_ITEMS);
      const absolutes: string[] = [];
      for (const relative of relatives) {
        const absolute = resolve(relative);
        if (isInside(lexicalRoot, absolute)) absolutes.push(absolute);
        const pause = slice();
        if (pause) await pause;
      }
      const table = await lstatInWorker(absolutes, worker).catch(() => null);
      // Taken for a load that has ended since: its lstats may be older than the next load.
      if (!table || load !== loads) return;
      // This prime's lstats replace any other's of the load (a place means a place in one table).
      const places = new Map<string, number>();
      for (let at = 0; at < absolutes.length; at++) {
        places.set(absolutes[at], at);
        const pause = slice();
        if (pause) await pause;
      }
      if (load !== loads) return;
      primed = places;
      taken = table;
      primedFiles = absolutes.length === relatives.length ? relatives : [];
    },
    async unchangedSincePrime(relatives, expected) {
      const files = primedFiles;
      if (files.length === 0 || files.length !== relatives.length || !files.every((file, at) => file === relatives[at])) return null;
      const table = taken;
      const load = loads;
      const root = await resolveRoot();
      // Whether each folder's real path lies inside the folder's: a regular file's real path is its folder's and its name.
      const inside = new Map<string, boolean>([['', true]]);
      const slice = createTimeSlicer(8, FAST_ITEMS);
      for (let at = 0; at < files.length; at++) {
        // Anything but a regular file (a symlink, an error) is for a look to judge.
        if (table.code(at) !== undefined || table.kind(at) !== 'file') return null;
        const saved = expected(at);
        if (table.size(at) !== saved[0] || table.mtimeMs(at) !== saved[1]) return settle(load, false);
        const file = files[at];
        const folder = file.slice(0, Math.max(0, file.lastIndexOf('/')));
        let known = inside.get(folder);
        if (known === undefined) {
          known = await realFolder(path.dirname(resolve(file))).then((real) => isInside(root, real), () => false);
          inside.set(folder, known);
        }
        if (!known) return null;
        const pause = slice();
        if (pause) await pause;
      }
      return settle(load, true);
    },
    beginLoad() {
      loads += 1;
      folders = new Map();
      primed = new Map();
      taken = NOTHING_TAKEN;
      primedFiles = [];
    },
  };
}

/**
 * {@link SafeFileReader.read} without waiting, for a render worker, whose thread may block: the
 * same checks (the real path inside the folder's, a regular file of at most `maxBytes`, checked
 * again on the open file). A worker's async reads wait on the process's file thread pool and on
 * its own event loop, which a render holds: at 10,000 pages they stretched a first start's render
 * from 18 to 29 s, where a read that blocks takes some microseconds (the file is in the page cache).
 */
export function readInsideSync(root: string, relative: string, maxBytes: number): FileRead {
  let real: string;
  let realRoot: string;
  try {
    real = realpathSync.native(resolveUnder(path.resolve(root), relative));
    realRoot = realpathSync.native(root);
    if (!isInside(realRoot, real)) return { ok: false, reason: 'outside-root' };
  } catch (error) {
    return { ok: false, reason: missingOrUnreadable(error) };
  }
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, reason: missingOrUnreadable(error) };
  }
  try {
    const info = fstatSync(fd);
    const refused = refusalOfOpened(info, maxBytes);
    if (refused) return refused;
    if (!openedInsideSync(fd, info, real, realRoot)) return OUTSIDE;
    const bytes = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const bytesRead = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return readOf(bytes, filled, info.mtimeMs);
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    closeQuietly(fd);
  }
}

/** A file refused for lying outside the folder. */
const OUTSIDE = { ok: false, reason: 'outside-root' } as const;

/** Where Linux names the file of each open descriptor (a symlink per descriptor). */
const DESCRIPTOR_LINKS = '/proc/self/fd/';

/**
 * Whether an open file lies inside the folder's real path `root`. Its path was checked before it
 * was opened, but a folder on the way may have been swapped for a symlink out of the folder in
 * between (O_NOFOLLOW guards only the last part): the file opened is checked itself. Where the
 * kernel names a descriptor's file (Linux), that name must be inside the folder; elsewhere the
 * path must still resolve to itself inside the folder, to the very file opened (device and inode).
 */
async function openedInside(fd: number, opened: Stats, real: string, root: string): Promise<boolean> {
  const named = await readlinkAsync(`${DESCRIPTOR_LINKS}${fd}`).catch(() => null);
  if (named !== null) return isInside(root, named);
  const again = await realpathAsync(real).catch(() => null);
  const now = again === real && isInside(root, again) ? await statAsync(again).catch(() => null) : null;
  return now !== null && now.dev === opened.dev && now.ino === opened.ino;
}

/** {@link openedInside}, without waiting (a render worker's reads). */
function openedInsideSync(fd: number, opened: Stats, real: string, root: string): boolean {
  let named: string | null = null;
  try {
    named = readlinkSync(`${DESCRIPTOR_LINKS}${fd}`);
  } catch {
    // No /proc: the path is checked again below.
  }
  if (named !== null) return isInside(root, named);
  try {
    const again = realpathSync.native(real);
    if (again !== real || !isInside(root, again)) return false;
    const now = statSync(again);
    return now.dev === opened.dev && now.ino === opened.ino;
  } catch {
    return false;
  }
}

/**
 * Why an open file is not read: not a regular file, or over `maxBytes`. Checked on the open file
 * itself, whatever its look said: what was swapped in since the look is what counts.
 */
function refusalOfOpened(info: Pick<Stats, 'isFile' | 'size' | 'mtimeMs'>, maxBytes: number): Extract<FileRead, { ok: false }> | null {
  if (!info.isFile()) return { ok: false, reason: 'not-a-file', modified: info.mtimeMs };
  if (info.size > maxBytes) return { ok: false, reason: 'too-large', size: info.size, modified: info.mtimeMs };
  return null;
}

/** A file's bytes as read into a buffer of its size: fewer, if it shrank while it was read. */
function readOf(bytes: Buffer, filled: number, modified: number): FileRead {
  return { ok: true, bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled), size: filled, modified };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing was left open to leak: a close fails only for a descriptor that is not open.
  }
}

/** The problem reported for a file the safe reader refused (a sentence naming what it is, never the machine's paths). */
export function refusalProblem(reason: Exclude<RefusalReason, 'missing'>, maxBytes: number, size?: number): ContentProblem {
  switch (reason) {
    case 'outside-root':
      // A link or special file is skipped, not broken content: a warning.
      return {
        code: 'symlink-outside', severity: 'warning', line: 1, column: 1, field: null,
        message: 'this is a symlink to a file outside the content folder, so it was skipped',
        hint: 'Copy the file into the content folder instead of linking to it.',
      };
    case 'not-a-file':
      return {
        code: 'not-a-regular-file', severity: 'warning', line: 1, column: 1, field: null,
        message: 'this is not a regular file (a FIFO, socket or device), so it was never opened',
        hint: 'Remove it from the content folder.',
      };
    case 'too-large':
      return {
        code: 'file-too-large', severity: 'error', line: 1, column: 1, field: null,
        message: `file is ${Math.round((size ?? 0) / 1024)} KB; files of this kind are capped at ${Math.round(maxBytes / 1024)} KB`,
        hint: 'Split the file, or move large data and media out of it.',
      };
    case 'unreadable':
      return {
        code: 'file-unreadable', severity: 'error', line: 1, column: 1, field: null,
        message: 'this file could not be read', hint: 'Check its permissions.',
      };
  }
}

/** Which version of a file its stat describes: device, inode, size and modification time (a file edited, replaced or renamed over differs). */
export function fileVersion(info: Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs'>): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
}

/**
 * `path.resolve(root, relative)` for an absolute, resolved `root`. A relative path already in
 * normal form (no empty, `.` or `..` part, not absolute: what a listing of the folder gives) is
 * joined to the root rather than resolved: a look at each of a load's 10,000 files resolved
 * them twice (its prime and its look), some 15 ms. Anything else is resolved by path.resolve.
 */
export function resolveUnder(root: string, relative: string): string {
  if (path.sep !== '/' || relative === '' || relative.startsWith('/') || relative.endsWith('/') || relative.includes('//') || DOT_PART.test(relative)) {
    return path.resolve(root, relative);
  }
  return root === '/' ? `/${relative}` : `${root}/${relative}`;
}

/** A `.` or `..` part of a `/`-separated path. */
const DOT_PART = /(?:^|\/)\.\.?(?:\/|$)/;

/**
 * Whether `target` is `root` or lies under it. Both are absolute and normalized (from
 * path.resolve, path.join or realpath), so a prefix ending at a separator decides it: path.relative
 * resolves both again, and this runs two or three times for each file a load looks at.
 */
function isInside(root: string, target: string): boolean {
  // No string built a call: `root` itself as a prefix, then the character after it.
  return target.startsWith(root) && (target.length === root.length || root.endsWith(path.sep) || target[root.length] === path.sep);
}

function missingOrUnreadable(error: unknown): RefusalReason {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : code === 'ELOOP' ? 'outside-root' : 'unreadable';
}
