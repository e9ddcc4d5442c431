import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Files of compressed page bodies in a render cache folder (see createBodyStore's `bodies-<hash>/`). */
export async function bodyFiles(cacheDir: string): Promise<number> {
  const folders = (await readdir(cacheDir)).filter((name) => name.startsWith('bodies-'));
  const counts = await Promise.all(folders.map(async (folder) => (await readdir(path.join(cacheDir, folder))).length));
  return counts.reduce((sum, count) => sum + count, 0);
}
