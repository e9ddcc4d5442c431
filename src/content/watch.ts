import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface ContentWatcher {
  /** Resolves once every folder is watched. */
  ready: Promise<void>;
  /** Watches the tree afresh (after the folder was replaced or came back) and reloads it whole. */
  rescan(): void;
  close(): Promise<void>;
}

/** Paths whose changes never matter to content: tooling folders, caches, editors' scratch files. */
const IGNORED = /(?:^|\/)(?:node_modules|\.git|\.cache|_site)(?:\/|$)|(?:^|\/)\.[^/]*$|~$|\.(?:swp|swx|tmp)$/;
const IGNORED_FOLDER = /^(?:node_modules|\.git|\.cache|_site)$/;
/** Files that may be pages: markdown, and HTML with front matter. */
const CONTENT_FILE = /\.(?:md|markdown|mkdown|mkdn|mkd|mdown|html?)$/i;

/**
 * Watches a content folder and calls `onChange` with the markdown files that changed (relative,
 * `/` separators), or with `undefined` when something else changed (a folder, even one named like
 * a page, the site config, a data file) and the folder must be rescanned.
 *
 * Each folder is watched on its own (inotify on the folder, not on its files), so a file replaced
 * by an editor's atomic save (write a temporary file, rename it over the page) keeps being
 * watched: watchers on files follow the old file and go quiet after the first rename. Changes
 * arriving while `onChange` runs are batched into the next call, so a burst (a git checkout of
 * 500 files) converges in a few reloads and the last one sees the final state.
 */
export function watchContent(root: string, onChange: (changed: string[] | undefined) => Promise<unknown>): ContentWatcher {
  const folders = new Map<string, FSWatcher>();
  let pending = new Set<string>();
  let rescan = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const run = async () => {
    while ((pending.size > 0 || rescan) && !closed) {
      const changed = rescan ? undefined : [...pending];
      if (rescan) await watchFolders();
      pending = new Set();
      rescan = false;
      await onChange(changed).catch(() => undefined);
    }
    running = null;
  };
  const schedule = () => {
    if (timer || running || closed) return;
    // A couple of milliseconds gather the events of one save (truncate + write, or write temp +
    // rename: microseconds apart) into one reload; a later one is the next reload's.
    timer = setTimeout(() => {
      timer = null;
      running = run();
    }, 2);
  };

  /**
   * A path named like a page is usually a page being saved, but it may be a folder (`guide.md/`),
   * or a page replaced by a folder of its name, or the other way round: those are folder changes,
   * to be watched and rescanned, or the pages inside would never be seen (or never leave). One
   * lstat (a symlink is not followed: the loader's safe reader judges it as a file) and whether
   * the path is a watched folder tell them apart, so a page save stays cheap.
   */
  const notePagePath = async (file: string) => {
    const wasFolder = folders.has(file);
    const isFolder = await lstat(path.join(root, file)).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (wasFolder || isFolder) rescan = true;
    else pending.add(file);
    schedule();
  };

  const watchFolder = (folder: string) => {
    if (folders.has(folder)) return;
    try {
      const watcher = watch(path.join(root, folder), { persistent: true }, (_event, name) => {
        const file = name ? path.posix.join(folder, name.toString()) : null;
        if (file && IGNORED.test(file)) return;
        if (file && CONTENT_FILE.test(file)) void notePagePath(file);
        else {
          rescan = true;
          schedule();
        }
      });
      watcher.on('error', () => {
        watcher.close();
        folders.delete(folder);
        rescan = true;
        schedule();
      });
      folders.set(folder, watcher);
    } catch {
      // The folder vanished before it could be watched: the rescan that follows settles it.
    }
  };

  /**
   * Watches every folder of the tree, and stops watching folders that are gone. The tree is
   * walked a folder at a time, never into an ignored folder (a checkout's `.git`, a site's
   * `node_modules`: thousands of entries a start would list for nothing), and a folder that cannot
   * be listed leaves out only itself.
   */
  async function watchFolders() {
    const present = new Set(['']);
    const unlisted = [''];
    while (unlisted.length > 0) {
      const folder = unlisted.pop()!;
      const entries = await readdir(path.join(root, folder), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        // A symlink to a folder is not a folder here: nothing outside the content folder is watched.
        if (!entry.isDirectory() || IGNORED_FOLDER.test(entry.name)) continue;
        const relative = folder ? `${folder}/${entry.name}` : entry.name;
        present.add(relative);
        unlisted.push(relative);
      }
    }
    for (const [folder, watcher] of folders) {
      if (!present.has(folder)) {
        watcher.close();
        folders.delete(folder);
      }
    }
    for (const folder of present) watchFolder(folder);
  }

  return {
    ready: watchFolders(),
    rescan() {
      // Watches on a folder that was removed are dead even if a new one has its name: start over.
      for (const watcher of folders.values()) watcher.close();
      folders.clear();
      rescan = true;
      schedule();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const watcher of folders.values()) watcher.close();
      folders.clear();
      await running;
    },
  };
}
