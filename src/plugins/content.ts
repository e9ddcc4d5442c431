import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { loadContent } from '../content/load.ts';
import type { ContentView, Snapshot } from '../content/snapshot.ts';

/** The content the service answers from; the snapshot is replaced whole, never edited. */
export interface ContentStore {
  readonly snapshot: Snapshot;
  /** The view a request may see (drafts only with a valid preview token). */
  viewFor(request: FastifyRequest): ContentView;
  /** Loads the folder again and swaps the snapshot in one assignment. */
  reload(): Promise<Snapshot>;
}

declare module 'fastify' {
  interface FastifyInstance {
    content: ContentStore;
  }
}

export interface ContentPluginOptions {
  contentDir: string;
}

/** Loads the content folder before the server listens and decorates the instance with `content`. */
export default fp<ContentPluginOptions>(
  async (fastify, options) => {
    let snapshot = await loadContent(options.contentDir);
    logLoad(fastify.log, snapshot);
    const store: ContentStore = {
      get snapshot() {
        return snapshot;
      },
      viewFor: () => snapshot.published,
      async reload() {
        const next = await loadContent(options.contentDir);
        snapshot = next;
        logLoad(fastify.log, next);
        return next;
      },
    };
    fastify.decorate('content', store);
  },
  { name: 'content' },
);

function logLoad(log: { info: (o: object, m: string) => void }, snapshot: Snapshot) {
  const errors = snapshot.diagnostics.filter((d) => d.severity === 'error').length;
  log.info(
    { version: snapshot.version, pages: snapshot.published.pages.length, errors, warnings: snapshot.diagnostics.length - errors },
    'content loaded',
  );
}
