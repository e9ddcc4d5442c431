import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, mkdir, open, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** The key file's name in the cache folder. */
export const PACK_KEY_FILE = 'pack.key';
const KEY_BYTES = 32;

/** Which cache a folder is for: what the warning about an unsafe folder names, and what it says happens instead. */
export interface CacheFolderRole {
  /** e.g. `render cache`. */
  name: string;
  /** The setting that names the folder, e.g. `RENDER_CACHE_DIR`. */
  setting: string;
  /** What the service does without the folder, e.g. `Starting cold.` */
  without: string;
  /** The warning's code. */
  code: string;
}

/** The warm-start pack's and page bodies' folder (RENDER_CACHE_DIR). */
export const RENDER_CACHE_ROLE: CacheFolderRole = {
  name: 'render cache',
  setting: 'RENDER_CACHE_DIR',
  without: 'Starting cold.',
  code: 'RENDER_CACHE_UNSAFE',
};

/**
 * The per-install key that authenticates what a cache folder holds (HMAC-SHA256: the warm-start
 * pack and page bodies in RENDER_CACHE_DIR, image variants in IMAGE_CACHE_DIR), kept in the
 * folder: 32 random bytes, created on first use (mode 0600, in a folder created 0700). Returns
 * null, after one warning naming `role`, when the folder or the key file is writable by group or
 * others, or owned by another user: whoever could write them could forge a pack, so the cache is
 * not used at all (for the render cache: the service starts cold). Never throws.
 */
export function loadPackKey(dir: string, role: CacheFolderRole = RENDER_CACHE_ROLE): Promise<Buffer | null> {
  // One load per folder and process: the pack and the body store ask for it at once, and two
  // creations racing in one process would share a temporary file's name.
  const folder = path.resolve(dir);
  let key = loading.get(folder);
  if (!key) {
    key = readOrCreateKey(folder, role).finally(() => loading.delete(folder));
    loading.set(folder, key);
  }
  return key;
}

const loading = new Map<string, Promise<Buffer | null>>();

async function readOrCreateKey(dir: string, role: CacheFolderRole): Promise<Buffer | null> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const unsafe = untrusted(await stat(dir), 'folder');
    if (unsafe) return refuse(dir, role, unsafe);
    const file = path.join(dir, PACK_KEY_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = await readKey(file);
      if (Buffer.isBuffer(key)) return key;
      if (key === 'missing') await createKey(file);
      else if (key === 'damaged') await rm(file, { force: true });
      else return refuse(dir, role, key.unsafe);
    }
    return refuse(dir, role, 'its key file could not be created');
  } catch (error) {
    return refuse(dir, role, `it could not be opened (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})`);
  }
}

async function readKey(file: string): Promise<Buffer | 'missing' | 'damaged' | { unsafe: string }> {
  // O_NOFOLLOW: a symbolic link planted in place of the key is refused, not followed.
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { unsafe: 'its key file is a symbolic link' };
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { unsafe: 'its key file is not a file' };
    const unsafe = untrusted(info, 'key file');
    if (unsafe) return { unsafe };
    if (info.size !== KEY_BYTES) return 'damaged';
    const key = Buffer.alloc(KEY_BYTES);
    const { bytesRead } = await handle.read(key, 0, KEY_BYTES, 0);
    return bytesRead === KEY_BYTES ? key : 'damaged';
  } finally {
    await handle.close();
  }
}

/** Writes the key aside, then links it into place: never a half-written key, and of two processes starting together, one key wins. */
async function createKey(file: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  await writeFile(temporary, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Why a folder or file cannot be trusted (another owner, or writable by group or others), or null. */
export function untrusted(info: Stats, what: string): string | null {
  // No owners or modes on Windows: nothing to check there.
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return null;
  if (info.uid !== process.getuid()) return `its ${what} belongs to another user (uid ${info.uid})`;
  if ((info.mode & 0o022) !== 0) return `its ${what} is writable by group or others (mode ${(info.mode & 0o777).toString(8)})`;
  return null;
}

const warned = new Set<string>();

function refuse(dir: string, role: CacheFolderRole, why: string): null {
  if (!warned.has(dir)) {
    warned.add(dir);
    process.emitWarning(
      `The ${role.name} folder ${path.basename(dir)} (${role.setting}) is not used: ${why}. ${role.without} ` +
        'Make it private to this user (chmod 700, and 600 for its pack.key), or delete it to have it created again.',
      { code: role.code },
    );
  }
  return null;
}
