import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

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
