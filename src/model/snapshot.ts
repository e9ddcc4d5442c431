import type { Diagnostic } from '../../schemas/diagnostic.ts';
import type { ContentView } from './content-view.ts';
import type { PageRecord } from './page-record.ts';
import type { FeedSettings } from './site-feeds.ts';

/**
 * The stages of a whole load, in milliseconds (src/content/load.ts): `prepare` (the folder, the
 * warm-start pack, the site rules and assets, the list of files), `read` (files read, front matter
 * parsed and validated), `select` (what each file serves, the links pages resolve against),
 * `render` (renders reused or made in the render pool), `assemble` (page records) and `publish`
 * (versions and views). Each is rounded on its own: their sum may be off `loadMs` by a few.
 */
export interface LoadStagesMs {
  prepare: number;
  read: number;
  select: number;
  render: number;
  assemble: number;
  publish: number;
}

/** The whole state of the service for one content version: built whole, swapped atomically, never mutated. */
export interface Snapshot {
  /**
   * The public content version: a hash of the published pages (their sources and what they were
   * rendered into) and the site settings. Drafts are not part of it, so a draft-only edit leaves
   * it, and everything public derived from it, unchanged.
   */
  version: string;
  /** The version of everything preview sees: published pages and drafts. */
  previewVersion: string;
  loadedAt: Date;
  /** How long building this snapshot took, how many files had to be read and how many pages rendered for it. */
  loadMs: number;
  /** Where a whole load's time went, stage by stage; absent for a live edit patched into the last load (src/content/load/patch.ts). */
  stagesMs?: LoadStagesMs;
  read: number;
  rendered: number;
  published: ContentView;
  preview: ContentView;
  /** Every page loaded, drafts included, in file order (cheaper than the preview view when only pages are needed). */
  pages: readonly PageRecord[];
  /** Every problem found while loading, drafts' included (see `privateFiles`). */
  diagnostics: readonly Diagnostic[];
  /**
   * Files whose problems only preview may see: drafts, and files whose front matter could not
   * be read (they may be drafts).
   */
  privateFiles: ReadonlySet<string>;
  /** The subpath the site is published under ('' at the root); paths under it resolve too. */
  baseUrl: string;
  /** Site settings (Jekyll _config.yml) safe to publish, or null for a plain folder. */
  site: Readonly<Record<string, unknown>> | null;
  /** The site's data files (Jekyll's _data), by name. */
  data: Readonly<Record<string, unknown>>;
  /** jekyll-feed's settings when the site uses the plugin (GET /feed.xml), else null. */
  feed: FeedSettings | null;
  /** Whether the site leaves a file out of what it publishes (Jekyll's `exclude`): the asset route serves no such file. */
  isExcluded: (file: string) => boolean;
}
