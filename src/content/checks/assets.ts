import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import { withoutBaseUrl } from '../../model/permalink.ts';
import type { PageRecord } from '../../model/page-record.ts';
import { allSteps, type CheckContext, type CheckSteps } from './check-context.ts';
import { decodeUrlPart, isExternalUrl, PAGE_LIKE, pathOf, type Reference } from './references.ts';
import { byCodeUnits } from '../../model/order.ts';

const MARKDOWN = /\.(md|markdown|mkdn|mkd|mdown)$/i;

interface MissingFile {
  file: string;
  reference: Reference;
  /** The file the URL asks for, relative to the content folder. */
  wanted: string;
}

/**
 * `missing-asset`: an image, media file or downloadable file (a link to a path with a file
 * extension other than a page's) that is not in the content folder. Remote URLs are not
 * fetched. A root-relative path starts at the content folder, as Jekyll copies static files to
 * the same path on the site. A relative one starts at the page's URL, as a browser reads it; in
 * a plain folder (not a Jekyll site) it may also start at the page's file, as GitHub and
 * editors' previews read it. Jekyll publishes no `_folder` or hidden file, so those are missing too.
 *
 * Content folders often hold the pages only, their assets being published from elsewhere (a
 * content-only checkout of a site, a CDN), and a warning per image would drown every real
 * problem. So a folder with no files but pages is not checked at all; and when the top folder a
 * reference points into (say `images/`) is absent, `asset-folder-missing` says so once per
 * folder, at its first reference, rather than once per file.
 */
export function checkAssets(context: CheckContext): Diagnostic[] {
  return allSteps(assetSteps(context));
}

/** Files or pages looked at in one step of {@link assetSteps}. */
const ITEMS_PER_STEP = 500;

/** {@link checkAssets} in steps of a few hundred files or pages (10,000 files took 6-20 ms in one piece). */
export function* assetSteps(context: CheckContext): CheckSteps {
  let items = 0;
  const step = () => ++items % ITEMS_PER_STEP === 0;
  const jekyll = context.snapshot.site !== null;
  const published = (file: string) => !file.split('/').some((part) => part.startsWith('.') || (jekyll && part.startsWith('_')));
  const pageFiles = new Set<string>();
  for (const page of context.pages) {
    pageFiles.add(page.record.file);
    if (step()) yield;
  }
  const served: string[] = [];
  let assets = false;
  for (const file of context.files) {
    if (published(file)) {
      served.push(file);
      assets ||= !pageFiles.has(file) && !MARKDOWN.test(file);
    }
    if (step()) yield;
  }
  if (!assets) return [];
  const files = new Set<string>();
  const byLowerCase = new Map<string, string>();
  const folders = new Set<string>();
  for (const file of served) {
    files.add(file);
    byLowerCase.set(file.toLowerCase(), file);
    if (file.includes('/')) folders.add(file.split('/')[0]);
    if (step()) yield;
  }
  // URL folders made by permalinks (/blog/…) are the site's own, not a folder of assets kept elsewhere.
  for (const page of context.pages) folders.add(page.record.summary.permalink.split('/')[1] ?? '');

  const missing: MissingFile[] = [];
  for (const page of context.pages) {
    if (step()) yield;
    for (const reference of page.references) {
      const candidates = wantedFiles(reference, page.record, context.snapshot.baseUrl, jekyll);
      if (candidates.length > 0 && !candidates.some((file) => files.has(file))) missing.push({ file: page.record.file, reference, wanted: candidates[0] });
    }
  }
  missing.sort((a, b) => byCodeUnits(a.file, b.file) || a.reference.line - b.reference.line || a.reference.column - b.reference.column);

  const diagnostics: Diagnostic[] = [];
  const absentFolders = new Map<string, MissingFile[]>();
  for (const item of missing) {
    const folder = item.wanted.includes('/') ? item.wanted.split('/')[0] : null;
    const exists = context.files.has(item.wanted);
    if (folder !== null && !folders.has(folder) && !exists) {
      absentFolders.set(folder, [...(absentFolders.get(folder) ?? []), item]);
      continue;
    }
    diagnostics.push({
      code: 'missing-asset', severity: 'warning', file: item.file, line: item.reference.line, column: item.reference.column, field: null,
      message: exists
        ? `${describe(item.reference)} ${item.reference.url} is in the content folder (${item.wanted}) but is not published`
        : `${describe(item.reference)} ${item.reference.url} is not in the content folder (looked for ${item.wanted})`,
      hint: hintFor(item, exists, byLowerCase.get(item.wanted.toLowerCase())),
    });
  }
  for (const [folder, items] of absentFolders) {
    const [first] = items;
    const pages = new Set(items.map((item) => item.file)).size;
    diagnostics.push({
      code: 'asset-folder-missing', severity: 'warning', file: first.file, line: first.reference.line, column: first.reference.column, field: null,
      message: `${items.length} reference${items.length === 1 ? '' : 's'} in ${pages} page${pages === 1 ? '' : 's'} point into /${folder}/ (first: ${first.reference.url}), but the content folder has no ${folder}/ folder`,
      hint: `Add the ${folder}/ folder beside the pages (it is served as it is), or ignore this warning if those files are published from elsewhere.`,
    });
  }
  return diagnostics;
}

/**
 * The content-folder paths a reference may name (the first is the one a browser asks for), or
 * none when it needs no file (pages, remote URLs, fragments).
 */
function wantedFiles(reference: Reference, page: PageRecord, baseUrl: string, jekyll: boolean): string[] {
  const { url, tagName } = reference;
  const target = pathOf(url);
  if (target === '' || isExternalUrl(url)) return [];
  if (tagName === 'a' && PAGE_LIKE.test(target)) return [];
  const fromUrl = withoutBaseUrl(new URL(target, `https://site.invalid${page.summary.permalink}`).pathname, baseUrl);
  const candidates = [fromUrl];
  if (!jekyll && !target.startsWith('/')) candidates.push(new URL(target, `https://site.invalid/${page.file}`).pathname);
  return candidates.map((candidate) => decodeUrlPart(candidate).replace(/^\/+/, '')).filter((candidate) => candidate !== '');
}

function hintFor(item: MissingFile, exists: boolean, actual: string | undefined): string {
  if (exists) return 'Jekyll publishes no folder or file whose name starts with _ or a dot: move the file to a published folder.';
  if (actual) return `The file is named ${actual}: paths on the web are case-sensitive.`;
  if (/^[^/@]+@[^/@]+\.[a-z]+$/i.test(item.reference.url)) return `Write an email address as mailto:${item.reference.url}.`;
  return 'Fix the path, or add the file. A path starting with / starts at the content folder; any other starts at the page\'s URL.';
}

function describe(reference: Reference): string {
  if (reference.tagName === 'img') return 'image';
  if (reference.tagName === 'a') return 'linked file';
  return `${reference.tagName} file`;
}
