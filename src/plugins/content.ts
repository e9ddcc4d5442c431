import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createContentLoader } from '../content/load.ts';
import type { ContentView, Snapshot } from '../content/snapshot.ts';
import { watchContent } from '../content/watch.ts';

/** A new content version, as announced to listeners (SSE, logs). */
export interface ContentUpdate {
  /** The public version: unchanged by a draft-only edit (then only preview listeners hear of it). */
  version: string;
  previousVersion: string;
  /** What preview sees, drafts included. */
  previewVersion: string;
  previousPreviewVersion: string;
  /** Slugs whose page was added, changed or removed (drafts included only for preview listeners). */
  changedSlugs: string[];
  snapshot: Snapshot;
}

/** The content the service answers from; the snapshot is replaced whole, never edited. */
export interface ContentStore {
  readonly snapshot: Snapshot;
  /** The view a request may see: drafts only with a valid preview token. */
  viewFor(request: FastifyRequest): ContentView;
  /**
   * Brings the snapshot up to date with the folder (only `changed` files, when given) and swaps
   * it in one assignment, so no request ever sees half an update.
   */
  reload(changed?: string[]): Promise<Snapshot>;
  /** Resolves when the folder is being watched (immediately when watching is off). */
  watching: Promise<void>;
  /** Calls `listener` after every swap to a new version; returns the unsubscribe function. */
  onUpdate(listener: (update: ContentUpdate) => void): () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    content: ContentStore;
  }
}

export interface ContentPluginOptions {
  contentDir: string;
  /** Watch the folder and apply changes as they happen (development); off in production. */
  watch?: boolean;
  /** On-disk render cache folder for fast warm starts; null keeps it in memory only. */
  cacheDir?: string | null;
}

/** Loads the content folder before the server listens and decorates the instance with `content`. */
export default fp<ContentPluginOptions>(
  async (fastify, options) => {
    const loader = createContentLoader(options.contentDir, { cacheDir: options.cacheDir });
    let snapshot = await loader.load();
    logLoad(fastify.log, snapshot);
    const listeners = new Set<(update: ContentUpdate) => void>();
    // Loads run one at a time, in order: the swap always installs the newest state of the folder.
    let queue: Promise<unknown> = Promise.resolve();

    const store: ContentStore = {
      get snapshot() {
        return snapshot;
      },
      viewFor: (request) => (request.preview ? snapshot.preview : snapshot.published),
      reload(changed) {
        const run = queue.then(async () => {
          const previous = snapshot;
          const next = await loader.load(changed);
          if (next.previewVersion === previous.previewVersion && sameDiagnostics(next, previous)) return previous;
          snapshot = next;
          logLoad(fastify.log, next);
          const update = {
            version: next.version,
            previousVersion: previous.version,
            previewVersion: next.previewVersion,
            previousPreviewVersion: previous.previewVersion,
            changedSlugs: changedSlugs(previous, next),
            snapshot: next,
          };
          for (const listener of listeners) listener(update);
          return next;
        });
        queue = run.catch(() => undefined);
        return run;
      },
      watching: Promise.resolve(),
      onUpdate(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    if (options.watch) {
      const watcher = watchContent(options.contentDir, (changed) => {
        return store.reload(changed).catch((error: Error) => fastify.log.error({ err: error }, 'content reload failed'));
      });
      store.watching = watcher.ready;
      fastify.addHook('onClose', () => watcher.close());
    }
    fastify.addHook('onClose', () => loader.flush());
    fastify.decorate('content', store);
  },
  { name: 'content', dependencies: ['delivery'] },
);

/** Pages added, removed or changed between two versions (compared by their serialized bytes). */
function changedSlugs(previous: Snapshot, next: Snapshot): string[] {
  const before = new Map(previous.pages.map((record) => [record.summary.slug, record]));
  const changed: string[] = [];
  for (const record of next.pages) {
    const slug = record.summary.slug;
    const was = before.get(slug);
    before.delete(slug);
    // Unchanged pages keep their record from one load to the next: most comparisons stop at `===`.
    if (was !== record && was?.json.etag !== record.json.etag) changed.push(slug);
  }
  return [...changed, ...before.keys()].sort();
}

function sameDiagnostics(a: Snapshot, b: Snapshot): boolean {
  return JSON.stringify(a.diagnostics) === JSON.stringify(b.diagnostics);
}

/** One structured line per content load: what is served, what is wrong, and how long it took. */
function logLoad(log: { info: (o: object, m: string) => void }, snapshot: Snapshot) {
  const errors = snapshot.diagnostics.filter((d) => d.severity === 'error').length;
  log.info(
    {
      version: snapshot.version,
      pages: snapshot.published.pages.length,
      drafts: snapshot.pages.length - snapshot.published.pages.length,
      read: snapshot.read,
      rendered: snapshot.rendered,
      errors,
      warnings: snapshot.diagnostics.length - errors,
      durationMs: snapshot.loadMs,
    },
    'content loaded',
  );
}
