import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import type { AssetIndex } from '../../assets/asset-index.ts';
import type { PageRecord } from '../../model/page-record.ts';
import type { ContentProblem } from '../../model/problem.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import type { PageEntry } from '../entry.ts';
import type { RenderedPage } from '../rendered-page.ts';
import type { SiteRules } from '../site-rules.ts';
import type { SiteSources } from '../site-rules-loader.ts';
import type { VersionHash } from './version.ts';

/** What one load works with, from the site rules it started under to the problems it found. */
export interface LoadRun {
  started: number;
  rules: SiteRules;
  siteSources: SiteSources;
  siteKey: string;
  rulesKey: string;
  /** The site's static files with their image sizes, as of this load. */
  assets: AssetIndex;
  diagnostics: Diagnostic[];
}

/** A file's entry as served: its current version, or its last good one while it has errors. */
export interface ServedFile {
  file: string;
  /** The content hash of the version served. */
  key: string;
  entry: PageEntry;
}

/** The pages a load serves: accepted (drafts included), published, and the redirects between paths. */
export interface Selection {
  /** Every file that serves something (pages, redirect stubs, duplicates left out), in file order. */
  served: ServedFile[];
  /** Every page served, in file order, duplicates and redirect stubs left out. */
  accepted: PageEntry[];
  published: PageEntry[];
  redirects: ReadonlyMap<string, string>;
  /** Files whose problems only preview may see. */
  privateFiles: Set<string>;
  /** The problems of identities (duplicates, redirects) by file: they depend on other files too. */
  identityProblems: Map<string, ContentProblem[]>;
}

/** The pages of a load as rendered, by position in `accepted`, with the keys they were rendered under. */
export interface Renders {
  /** Render key of each accepted page: its source and site rules, and the other pages when its templates see them. */
  renderKeys: string[];
  /** Each accepted page as rendered; undefined when it failed. */
  rendered: (RenderedPage | undefined)[];
  /** How many pages had to be rendered (not found in the render cache). */
  renderedNow: number;
  /** The links-checked marks to keep once the load is published. */
  nextLinksChecked: Map<string, string>;
  /** Hash of the template documents, when some page's templates see the other pages. */
  documentsKey: string | undefined;
}

/**
 * A render under way, as the pool has queued it: what a first load lists its pages from before
 * they are rendered (see listing.ts). By position in `accepted`.
 */
export interface PendingRenders {
  renderKeys: string[];
  /** The hash of the template documents the render keys took, when some page's templates see the other pages. */
  documentsKey: string | undefined;
  /** The renders reused from the render cache (undefined where the page is rendered now, or failed before). */
  reused: (RenderedPage | undefined)[];
  /** Whether the page is being rendered now. */
  renders(index: number): boolean;
  /** The page's render, asked for before the rest; undefined when it failed. */
  demand(index: number): Promise<RenderedPage | undefined>;
  /** The page's render if it is done by now (not asked for); undefined while it is not, or when it failed. */
  settled(index: number): RenderedPage | undefined;
}

/** A page record with what it was assembled from: reused while its file version, render key, link context and audience hold. */
export interface LiveRecord {
  /** The content hash of the file version it was made from (its front matter is in the record). */
  contentKey: string;
  linkContextKey: string;
  published: boolean;
  identity: string;
  /** The body it was made from (the render's own buffer: a record is reused only with the same render). */
  body: Uint8Array;
  record: PageRecord;
}

/** The records of a load: in file order, and by position in `accepted` (undefined where the render failed). */
export interface Assembly {
  pageRecords: PageRecord[];
  live: (LiveRecord | undefined)[];
}

/** The public and preview versions, and where each served file's part is in them (-1: not in the public one). */
export interface Versions {
  published: VersionHash;
  preview: VersionHash;
  partAt: Map<string, { published: number; preview: number }>;
}

/**
 * The last load's results, kept so that a live edit that moves no page can be applied to them
 * (its pages read, rendered and assembled, the lookups copied) instead of redoing the whole load.
 * Its maps and arrays are the loader's own (snapshots hold copies), so a patch updates them in place.
 */
export interface LastLoad {
  run: LoadRun;
  redirects: ReadonlyMap<string, string>;
  privateFiles: ReadonlySet<string>;
  identityProblems: ReadonlyMap<string, ContentProblem[]>;
  /** What each file serves now. */
  servedByFile: Map<string, ServedFile>;
  /** Position of each accepted page in `renders` and `assembly.live`, by file. */
  acceptedAt: Map<string, number>;
  renders: Renders;
  assembly: Assembly;
  versions: Versions;
  snapshot: Snapshot;
}

/**
 * What a start needs to serve the last snapshot again without loading (see resume.ts), besides
 * its records: what it was made under, every file it looked at, and its versions, problems,
 * redirects and private files. Saved at a clean shutdown in the warm-start pack.
 */
export interface ResumeTable {
  rulesKey: string;
  siteKey: string;
  assetsKey: string;
  publicUrl: string;
  /** The record file the records' inputs are in (see record-file.ts): its generation. */
  generation: string;
  /** How many records the snapshot has (drafts included): a part of them is no snapshot. */
  pages: number;
  /** The snapshot is a first load's listing, saved before the load ended: its pages not rendered by then are listed (see listing.ts). */
  listing: boolean;
  /** Every file the load looked at (pages, drafts, files with problems), with its size and modification time. */
  files: [file: string, size: number, modified: number][];
  version: string;
  previewVersion: string;
  diagnostics: Diagnostic[];
  redirects: [from: string, to: string][];
  privateFiles: string[];
}

/**
 * A live edit applied to a first load's listing while the load renders (see edit-listing.ts):
 * what the listing serves for the file until the load is published and the edit patched into it.
 */
export interface ListingEdit {
  record: PageRecord;
  /** Its part of the listing's versions (see versionPart). */
  part: string;
  /** The file's problems in this version: its front matter's, its render's, its identity's. */
  problems: ContentProblem[];
}
