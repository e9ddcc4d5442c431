import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { contentLimits } from './limits.ts';
import { refusalProblem, type SafeFileReader } from './safe-file.ts';

/** A site file (config, data, include, menu) as read: its text, a problem, or null when there is none. */
export type SiteFileText = { text: string } | { problem: Diagnostic } | null;

/**
 * Reads one of the site's own files (not a page) through the safe reader, under the cap for its
 * kind: a symlink out of the folder, a FIFO or an oversized file becomes a diagnostic naming it.
 */
export async function readSiteFile(reader: SafeFileReader, file: string, maxBytes: number): Promise<SiteFileText> {
  const result = await reader.read(file, maxBytes);
  if (result.ok) return { text: result.bytes.toString('utf8') };
  if (result.reason === 'missing') return null;
  return { problem: { file, ...refusalProblem(result.reason, maxBytes, result.size) } };
}

/**
 * The files under one folder of the site (`_data`, `_includes`), relative to the site folder,
 * sorted; hidden names skipped; at most `contentLimits.maxSiteFiles` of them. Symlinks and other
 * non-folders are listed, so that reading them through the safe reader reports what they are.
 */
export async function listSiteFolder(reader: SafeFileReader, folder: string): Promise<string[]> {
  const entries = await readdir(path.join(reader.root, folder), { recursive: true, withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() || entry.name.startsWith('.')) continue;
    const relative = path.relative(reader.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (relative.split('/').some((part) => part.startsWith('.'))) continue;
    files.push(relative);
  }
  return files.sort().slice(0, contentLimits.maxSiteFiles);
}

/**
 * What the site's own files look like now, without reading them: each path with its size and
 * modification time. Equal signatures mean the parsed site files can be reused as they are.
 */
export async function siteFilesSignature(reader: SafeFileReader, files: readonly string[], folders: readonly string[]): Promise<string> {
  const listed = [...files, ...(await Promise.all(folders.map((folder) => listSiteFolder(reader, folder)))).flat()];
  const looks = await Promise.all(listed.map(async (file) => {
    const look = await reader.look(file);
    return look.ok ? `${file}\0${look.size}\0${look.modified}` : look.reason === 'missing' ? '' : `${file}\0${look.reason}`;
  }));
  return looks.filter(Boolean).join('\n');
}
