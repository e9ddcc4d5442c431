import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createTimeSlicer } from './time-slice.ts';

/** Files that may be pages: markdown (every extension Jekyll knows), and HTML, a page when it has front matter. */
const CONTENT_FILE = /\.(md|markdown|mkdown|mkdn|mkd|mdown|html?)$/i;
const HTML_FILE = /\.html?$/i;
/**
 * Folders no site's rules take a page from, whatever its config says: git's store, tooling and
 * build output. The walk never enters them, so a checkout's `.git` (thousands of folders) or a
 * site's `node_modules` costs a start nothing.
 */
export const UNWALKED_FOLDERS: ReadonlySet<string> = new Set(['.git', 'node_modules', 'vendor', '_site']);
/** Folders that never hold pages under the default rules: those, and Jekyll's non-content folders. */
const SKIPPED_FOLDERS = new Set([...UNWALKED_FOLDERS, '_includes', '_layouts', '_sass', '_data', '_drafts']);

/**
 * Lists the files of a content folder that may be pages (markdown, and HTML) (paths relative to it, with `/` separators),
 * sorted so that every run sees them in the same order. Nothing is opened here: files are read
 * through the loader's safe reader. Hidden files and folders are skipped,
 * and so are editors' temporary files.
 *
 * The folder is walked one folder at a time, without following symlinks, and not into
 * {@link UNWALKED_FOLDERS}. A folder inside it that
 * cannot be listed (its path too long for the system, unreadable, removed meanwhile) is passed
 * over, named to `skipped` (relative), rather than failing the whole listing: one folder a pull
 * request added must not keep every page from being served. Only the folder itself not being
 * listable rejects.
 */
export async function discoverContent(
  dir: string,
  isContentFile: (file: string) => boolean = isContentPath,
  skipped?: (folder: string, code: string) => void,
): Promise<string[]> {
  const root = path.resolve(dir);
  // A few string operations a file: the clock is read every 32 files (see createTimeSlicer).
  const slice = createTimeSlicer(8, 32);
  const files: string[] = [];
  // Folders still to list, relative to the root ('' for the root itself).
  const folders = [''];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(folder === '' ? root : path.join(root, folder), { withFileTypes: true });
    } catch (error) {
      if (folder === '') throw error;
      skipped?.(folder, (error as NodeJS.ErrnoException).code ?? 'EIO');
      continue;
    }
    for (const entry of entries) {
      const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
      // A symlink to a folder is not a folder here: nothing outside the folder is listed.
      if (entry.isDirectory()) {
        if (!UNWALKED_FOLDERS.has(entry.name)) folders.push(relative);
      }
      // Not only regular files: a symlink, FIFO or device named like a page is listed too, so the
      // loader's safe reader can report it (and skip it) instead of it vanishing without a word.
      else if (CONTENT_FILE.test(entry.name) && isContentFile(relative)) files.push(relative);
      // A folder of many thousands of files: requests are answered between slices.
      const pause = slice();
      if (pause) await pause;
    }
  }
  return files.sort();
}

/** Whether a relative path can hold a page: not hidden, not temporary, not in a tooling folder. */
export function isContentPath(relative: string): boolean {
  const name = relative.slice(relative.lastIndexOf('/') + 1);
  if (!CONTENT_FILE.test(name) || name.endsWith('~') || name.startsWith('#') || name.startsWith('.')) return false;
  // A file at the top of the folder (most of a large site's pages) has no folder to look at.
  return name === relative || relative.split('/').every((part) => !part.startsWith('.') && !SKIPPED_FOLDERS.has(part));
}

/**
 * How a page's body is written: `html` for `.html`/`.htm` files (Liquid, then straight to the
 * sanitizer, no markdown), else `markdown`.
 */
export function contentFormatOf(file: string): 'markdown' | 'html' {
  return HTML_FILE.test(file) ? 'html' : 'markdown';
}
