import { contentLimits } from './limits.ts';
import { createSafeFileReader, type SafeFileReader } from './safe-file.ts';
import { readSiteFile } from './site-files.ts';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { MenuEntrySourceSchema, NavigationFileSchema } from '../../schemas/menu.ts';
import { formatFieldPath, locateField } from './locate.ts';
import { isSafeUrl, unsafeUrlProblem } from './url-policy.ts';
import { JEKYLL_YAML } from '../jekyll/yaml-schema.ts';

/**
 * Where a Jekyll site keeps its menus (`site.data.navigation`), the file `site.data` takes when
 * several exist first: Jekyll reads .yaml, .yml then .json, and the last one read is used.
 */
export const NAVIGATION_FILES = ['_data/navigation.json', '_data/navigation.yml', '_data/navigation.yaml'];

/** A menu link as validated, before it is resolved against the pages. */
export interface MenuEntry {
  title: string;
  url: string | null;
  icon: string | null;
  description: string | null;
  button: boolean;
  children: MenuEntry[];
}

/** A menu of the file, by its name, with its validated links. */
export interface MenuSource {
  name: string;
  entries: MenuEntry[];
}

/** File position of a value, from its path in the file (for diagnostics). */
export type Locate = (path: readonly PropertyKey[]) => { line: number; column: number };

const nowhere: Locate = () => ({ line: 1, column: 1 });

/**
 * Validates the menus of `_data/navigation.yml` (already parsed) against their Zod schema, link
 * by link: a bad link is left out alone, with a diagnostic at its line, and the rest is kept.
 */
export function parseMenus(value: unknown, file: string, locate: Locate = nowhere): { menus: MenuSource[]; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const report = (issues: z.core.$ZodIssue[], at: PropertyKey[], consequence: string) => {
    for (const issue of issues) {
      const where = [...at, ...issue.path];
      problems.push({
        code: 'invalid-menu',
        severity: 'error',
        file,
        ...locate(where),
        field: where.length > 0 ? formatFieldPath(where) : null,
        message: `${issue.message}; ${consequence}`,
        hint: 'A menu is a list of links: "- title: Text" with an optional "url:", and sub-links in a list under "sub-nav:" (or "children:").',
      });
    }
  };

  if (value === undefined || value === null) return { menus: [], problems };
  const parsed = NavigationFileSchema.safeParse(value);
  if (!parsed.success) {
    const whole = parsed.error.issues.some((issue) => issue.path.length === 0);
    report(parsed.error.issues, [], whole ? 'no menu is served' : 'that menu is left out');
    if (whole) return { menus: [], problems };
  }
  const readEntries = (items: unknown[], at: PropertyKey[]): MenuEntry[] =>
    items.flatMap((item, index): MenuEntry[] => {
      const entry = MenuEntrySourceSchema.safeParse(item);
      if (!entry.success) {
        report(entry.error.issues, [...at, index], 'the link is left out of the menu');
        return [];
      }
      const { title, url, icon, description, is_button } = entry.data;
      const childKey = entry.data['sub-nav'] ? 'sub-nav' : 'children';
      // A link target the URL policy refuses is removed; the entry stays, as a title without a link.
      const safe = url === undefined || url === null || isSafeUrl(url);
      if (!safe) {
        const where = [...at, index, 'url'];
        problems.push({ file, ...unsafeUrlProblem(url, { ...locate(where), field: formatFieldPath(where) }) });
      }
      return [{
        title,
        url: safe ? url ?? null : null,
        icon: icon ?? null,
        description: description ?? null,
        button: is_button === true,
        children: readEntries(entry.data[childKey] ?? [], [...at, index, childKey]),
      }];
    });

  const menus = Object.entries(value as Record<string, unknown>)
    .filter(([, items]) => Array.isArray(items))
    .map(([name, items]) => ({ name, entries: readEntries(items as unknown[], [name]) }));
  return { menus, problems };
}

/**
 * Reads and validates the site's navigation file with positions, so each problem names its line:
 * what `npm run check` reports. Null when the site has none.
 */
export async function readNavigationFile(root: string, reader: SafeFileReader = createSafeFileReader(root)): Promise<{ menus: MenuSource[]; problems: Diagnostic[] } | null> {
  for (const file of NAVIGATION_FILES) {
    const read = await readSiteFile(reader, file, contentLimits.maxIncludeFileBytes);
    if (read === null) continue;
    // A navigation file refused by the reader (or not all UTF-8) is reported with the other data files.
    if (!('text' in read)) return { menus: [], problems: [] };
    const source = read.text;
    const lineCounter = new LineCounter();
    // Parsed as the data loader parses it (src/jekyll/site-config.ts), so the menus checked are the menus served.
    const document = parseDocument(source, { ...JEKYLL_YAML, uniqueKeys: false, lineCounter });
    // YAML syntax and alias errors are the data loader's to report; here only what the YAML says.
    if (document.errors.length > 0) return { menus: [], problems: [] };
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: contentLimits.maxYamlAliases });
    } catch {
      return { menus: [], problems: [] };
    }
    const locate: Locate = (at) => {
      const position = locateField(document, at, lineCounter);
      return { line: position.line, column: position.col };
    };
    return parseMenus(value, file, locate);
  }
  return null;
}
