import { constants } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';

/**
 * A file of one of the service's own cache folders (compressed bodies, image variants), read
 * whole: only a regular file of at most `maxBytes` (not following a symlink, not blocking on a
 * FIFO put in its place), or null. Its bytes are still untrusted: callers check their MAC.
 */
export async function readCacheFile(file: string, maxBytes: number): Promise<Buffer | null> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => null);
  if (!handle) return null;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > maxBytes) return null;
    // Not from the shared pool: the bytes may be kept for long.
    const bytes = Buffer.allocUnsafeSlow(info.size);
    const { bytesRead } = await handle.read(bytes, 0, info.size, 0);
    return bytesRead === info.size ? bytes : null;
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Writes a file of one of the service's own cache folders aside (`<file>.<pid>.tmp`, created
 * 0600, never over a file already there), then renames it into place, so a crash never leaves
 * half a file where a reader looks. `fill` writes the content through the open handle; on any
 * failure the file aside is removed and the error thrown.
 */
export async function writeCacheFileAside(file: string, fill: (handle: FileHandle) => Promise<void>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await fill(handle);
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
