import { watch } from 'node:fs';

export interface ContentWatcher {
  /** Resolves once changes are being reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Paths whose changes never matter to content: tooling folders, caches, editors' scratch files. */
const IGNORED = /(?:^|\/)(?:node_modules|\.git|\.cache|_site)(?:\/|$)|(?:^|\/)\.[^/]*$|~$|\.(?:swp|swx|tmp)$/;
const MARKDOWN = /\.(?:md|markdown|mkdn|mkd|mdown)$/i;

/**
 * Watches a content folder (fs.watch, recursive: inotify on Linux, so an editor's atomic save,
 * a rename over a file and new folders are all seen) and calls `onChange` with the markdown files
 * that changed, relative with `/` separators, or with `undefined` when something else changed
 * (a folder, the site config, a data file) and the folder must be rescanned. Changes arriving
 * while `onChange` runs are batched into the next call, so a burst (a git checkout of 500 files)
 * converges in a few reloads and the last one sees the final state.
 */
export function watchContent(root: string, onChange: (changed: string[] | undefined) => Promise<unknown>): ContentWatcher {
  let pending = new Set<string>();
  let rescan = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const run = async () => {
    while (pending.size > 0 || rescan) {
      const changed = rescan ? undefined : [...pending];
      pending = new Set();
      rescan = false;
      await onChange(changed).catch(() => undefined);
    }
    running = null;
  };
  const schedule = () => {
    if (timer || running) return;
    // A few milliseconds gather the events of one save (write temp + rename) into one reload.
    timer = setTimeout(() => {
      timer = null;
      running = run();
    }, 5);
  };

  const watcher = watch(root, { recursive: true, persistent: true }, (_event, filename) => {
    const file = filename?.toString().split('\\').join('/');
    if (file && IGNORED.test(file)) return;
    if (file && MARKDOWN.test(file)) pending.add(file);
    else rescan = true;
    schedule();
  });
  watcher.on('error', () => {
    rescan = true;
    schedule();
  });

  return {
    ready: Promise.resolve(),
    async close() {
      if (timer) clearTimeout(timer);
      watcher.close();
      await running;
    },
  };
}
