import { createHash } from 'node:crypto';
import { NAVIGATION_FILES } from './navigation-file.ts';
import { CONFIG_LOCATIONS } from '../jekyll/site-config.ts';
import { jekyllRules, readJekyllSources, type JekyllSources } from '../jekyll/site-rules.ts';
import { createSafeFileReader, type SafeFileReader } from './safe-file.ts';
import { siteFilesSignature } from './site-files.ts';
import { plainFolderRules, type SiteRules } from './site-rules.ts';

/** What a folder's rules are made of: a Jekyll site's parsed files, or nothing (a plain folder of pages). Plain data. */
export interface SiteSources {
  jekyll: JekyllSources | null;
}

/** Reads (and parses) the site's own files: slow for large data files, so the loader runs it on a worker. */
export async function readSiteSources(root: string, reader: SafeFileReader = createSafeFileReader(root)): Promise<SiteSources> {
  return { jekyll: await readJekyllSources(root, reader) };
}

/** The rules for a folder, from its sources: a folder with a Jekyll _config.yml follows Jekyll's rules; any other is plain pages. */
export function siteRulesFrom(sources: SiteSources): SiteRules {
  return sources.jekyll ? jekyllRules(sources.jekyll) : plainFolderRules;
}

/** Reads a folder's rules in one call (the CLI and tests; the loader uses {@link createSiteRulesSource}). */
export async function loadSiteRules(root: string): Promise<SiteRules> {
  return siteRulesFrom(await readSiteSources(root));
}

/** The site's own files its rules are made of, and the folders whose every file counts. */
const SITE_FILES: readonly string[] = [...CONFIG_LOCATIONS, ...NAVIGATION_FILES];
const SITE_FOLDERS: readonly string[] = ['_data', '_includes'];

/** Whether a path is one of the site's own files (config, data, include, menu): a change to it may change the rules. */
export function isSiteFile(file: string): boolean {
  return SITE_FILES.includes(file) || SITE_FOLDERS.some((folder) => file.startsWith(`${folder}/`));
}

/** The site's rules as of now, with the sources they were made from and a key naming them. */
export interface CurrentSiteRules {
  rules: SiteRules;
  sources: SiteSources;
  /** Hash of the sources: equal keys, equal rules. */
  key: string;
}

/**
 * Keeps a folder's rules between loads: the site's own files are looked at (size and time) on
 * every load, and read and parsed again (by `read`, on a worker) only when one of them changed.
 * A page edit never re-parses `_config.yml` or `_data/`.
 */
export function createSiteRulesSource(reader: SafeFileReader, read: () => Promise<SiteSources>) {
  let current: (CurrentSiteRules & { signature: string }) | undefined;
  return async function currentRules(): Promise<CurrentSiteRules> {
    const signature = await siteFilesSignature(reader, SITE_FILES, SITE_FOLDERS);
    if (current?.signature === signature) return current;
    const sources = await read();
    const key = createHash('sha256').update(JSON.stringify(sources)).digest('hex');
    // The same bytes under a new time (a touch, a checkout): the rules already made still hold.
    current = current?.key === key ? { ...current, signature } : { rules: siteRulesFrom(sources), sources, key, signature };
    return current;
  };
}
