import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { contentLimits } from './limits.ts';
import { refusalProblem, type SafeFileReader } from './safe-file.ts';
import { decodeUtf8, notUtf8Problem } from './utf8-text.ts';

/**
 * A site file (config, data, include, menu) as read: its text (with a problem when it is not all
 * UTF-8), a problem alone when it was refused, or null when there is none.
 */
export type SiteFileText = { text: string; problem?: Diagnostic } | { problem: Diagnostic } | null;

/** A site file as read: its bytes, a problem, or null when there is none. */
export type SiteFileBytes = { bytes: Buffer } | { problem: Diagnostic } | null;

/**
 * Reads one of the site's own files (not a page) through the safe reader, under the cap for its
 * kind: a symlink out of the folder, a FIFO or an oversized file becomes a diagnostic naming it.
 * A file that is not all UTF-8 is an error at its first bad byte (Jekyll's YAML reader fails on it) and
 * is still read, its bad bytes replaced, as a YAML syntax error leaves what can be read: one bad
 * byte in a description must not move every page, as dropping `_config.yml` would.
 */
export async function readSiteFile(reader: SafeFileReader, file: string, maxBytes: number): Promise<SiteFileText> {
  const read = await readSiteFileBytes(reader, file, maxBytes);
  if (!read || !('bytes' in read)) return read;
  const { text, break: notUtf8 } = decodeUtf8(read.bytes);
  return notUtf8 ? { text, problem: { file, ...notUtf8Problem(notUtf8, 'it is read with U+FFFD (�) in place of its bad bytes') } } : { text };
}

/**
 * {@link readSiteFile} without decoding, for a reader that decodes as its format says (a CSV data
 * file is refused, as Ruby's CSV refuses it, when it is not valid UTF-8).
 */
export async function readSiteFileBytes(reader: SafeFileReader, file: string, maxBytes: number): Promise<SiteFileBytes> {
  const result = await reader.read(file, maxBytes);
  if (result.ok) return { bytes: result.bytes };
  if (result.reason === 'missing') return null;
  return { problem: { file, ...refusalProblem(result.reason, maxBytes, result.size) } };
}

/** What is under one folder of the site, each path relative to the site folder, sorted. */
export interface SiteFolderTree {
  files: string[];
  /** The sub-folders at every depth, empty ones included: Jekyll reads a folder of `_data/` as a key even when it holds nothing. */
  folders: string[];
}

/**
 * The files and sub-folders under one folder of the site (`_data`, `_includes`), relative to the
 * site folder, sorted; hidden names skipped; at most `contentLimits.maxSiteFiles` of each.
 * Symlinks and other non-folders are listed as files, so that reading them through the safe
 * reader reports what they are.
 */
export async function listSiteFolderTree(reader: SafeFileReader, folder: string): Promise<SiteFolderTree> {
  const entries = await readdir(path.join(reader.root, folder), { recursive: true, withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relative = path.relative(reader.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (relative.split('/').some((part) => part.startsWith('.'))) continue;
    (entry.isDirectory() ? folders : files).push(relative);
  }
  return { files: files.sort().slice(0, contentLimits.maxSiteFiles), folders: folders.sort().slice(0, contentLimits.maxSiteFiles) };
}

/** The files under one folder of the site, as {@link listSiteFolderTree} lists them. */
export async function listSiteFolder(reader: SafeFileReader, folder: string): Promise<string[]> {
  return (await listSiteFolderTree(reader, folder)).files;
}

/**
 * What the site's own files look like now, without reading them: each path with its size and
 * modification time. Equal signatures mean the parsed site files can be reused as they are.
 */
export async function siteFilesSignature(reader: SafeFileReader, files: readonly string[], folders: readonly string[]): Promise<string> {
  const trees = await Promise.all(folders.map((folder) => listSiteFolderTree(reader, folder)));
  const listed = [...files, ...trees.flatMap((tree) => tree.files)];
  const looks = await Promise.all(listed.map(async (file) => {
    const look = await reader.look(file);
    return look.ok ? `${file}\0${look.size}\0${look.modified}` : look.reason === 'missing' ? '' : `${file}\0${look.reason}`;
  }));
  // A sub-folder added or removed changes the rules even when empty: it is a key of site.data.
  const subfolders = trees.flatMap((tree) => tree.folders.map((folder) => `${folder}/`));
  return [...looks.filter(Boolean), ...subfolders].join('\n');
}
