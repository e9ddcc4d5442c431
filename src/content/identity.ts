import type { PageEntry } from './entry.ts';
import { permalinkKey } from '../model/permalink.ts';
import type { ContentProblem } from '../model/problem.ts';
import { byCodeUnits } from '../model/order.ts';
import type { Slice } from './time-slice.ts';

type Report = (file: string, problems: ContentProblem[]) => void;

/**
 * Two pages may not share a slug or a permalink: the second one (in path order) is left out,
 * naming the first. Published pages claim slugs and permalinks first, so a draft can never push
 * a live page out. At 10,000 pages this is about 40 ms of work: it runs in slices.
 */
export async function rejectDuplicates(entries: PageEntry[], report: Report, slice: Slice): Promise<PageEntry[]> {
  const accepted: PageEntry[] = [];
  // Entries arrive in file order; published ones go first only when there are drafts to put after them.
  const ordered = entries.every((entry) => entry.published)
    ? entries
    : [...entries].sort((a, b) => Number(b.published) - Number(a.published) || byCodeUnits(a.file, b.file));
  const slugs = new Map<string, PageEntry>();
  const permalinks = new Map<string, PageEntry>();
  for (const entry of ordered) {
    const pause = slice();
    if (pause) await pause;
    const sameSlug = slugs.get(entry.slug);
    const samePermalink = permalinks.get(permalinkKey(entry.permalink));
    const clash = sameSlug
      ? { code: 'duplicate-slug' as const, field: 'slug' as const, what: `slug "${entry.slug}"`, other: sameSlug }
      : samePermalink
        ? { code: 'duplicate-permalink' as const, field: 'permalink' as const, what: `permalink ${entry.permalink}`, other: samePermalink }
        : null;
    if (clash) {
      report(entry.file, [{
        code: clash.code, severity: 'error', ...entry.positions[clash.field], field: clash.field,
        message: `${entry.file} and ${clash.other.file} have the same ${clash.what}; ${entry.file} is left out`,
        hint: `Give one of them another ${clash.field} in its front matter.`,
      }]);
      continue;
    }
    slugs.set(entry.slug, entry);
    permalinks.set(permalinkKey(entry.permalink), entry);
    accepted.push(entry);
  }
  return ordered === entries ? accepted : accepted.sort((a, b) => byCodeUnits(a.file, b.file));
}

/**
 * jekyll-redirect-from: a stub with `redirect_to` sends its permalink elsewhere, and a page's
 * `redirect_from` paths send readers to the page. A redirect never shadows a page. Runs in
 * slices, as {@link rejectDuplicates} does.
 */
export async function collectRedirects(pages: PageEntry[], stubs: PageEntry[], report: Report, slice: Slice): Promise<Map<string, string>> {
  const redirects = new Map<string, string>();
  const pageByKey = new Map<string, PageEntry>();
  for (const entry of pages) {
    const pause = slice();
    if (pause) await pause;
    pageByKey.set(permalinkKey(entry.permalink), entry);
  }
  const add = (entry: PageEntry, from: string, to: string, field: 'permalink' | 'redirect_from') => {
    const key = permalinkKey(from);
    // `/about/` redirecting to `/about.html` is the same page here: nothing to redirect.
    if (pageByKey.get(key) === entry) return;
    if (pageByKey.has(key)) {
      report(entry.file, [{
        code: 'redirect-shadows-page', severity: 'warning', ...entry.positions[field], field,
        message: `the redirect from ${from} is ignored: a page is served there`,
        hint: `Remove ${from} from ${field}, or move the page.`,
      }]);
      return;
    }
    redirects.set(key, to);
  };
  for (const stub of stubs) add(stub, stub.permalink, stub.redirectTo!, 'permalink');
  for (const entry of pages) {
    const pause = slice();
    if (pause) await pause;
    const from = entry.frontMatter.redirect_from;
    for (const path of from === undefined ? [] : Array.isArray(from) ? from : [from]) add(entry, path, entry.permalink, 'redirect_from');
  }
  return redirects;
}
