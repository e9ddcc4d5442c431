/**
 * What Jekyll lists in `_data/` and under which key of `site.data` each entry goes
 * (`DataReader#read_data_to` and `#sanitize_filename` in Jekyll 4), so that when two entries give
 * one key the same one wins here as there.
 */
import path from 'node:path';
import type { Diagnostic } from '../../schemas/diagnostic.ts';

/** The extensions Jekyll lists in a data folder, in the order it reads them: `Dir["*.{yaml,yml,json,csv,tsv}"]`. */
export const JEKYLL_DATA_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json', '.csv', '.tsv'];

/** A data file of a `_data` folder: `extension` is lower-case, one of {@link JEKYLL_DATA_EXTENSIONS}. */
export interface DataFileEntry {
  kind: 'file';
  /** Relative to the site folder. */
  path: string;
  key: string;
  extension: string;
}

/** A sub-folder of a `_data` folder, with its own entries. */
export interface DataFolderEntry {
  kind: 'folder';
  /** Relative to the site folder. */
  path: string;
  key: string;
  entries: DataEntry[];
}

export type DataEntry = DataFileEntry | DataFolderEntry;

/** The files and sub-folders of one folder, by name. */
interface FolderListing {
  files: string[];
  folders: Map<string, FolderListing>;
}

// Ruby's \w and \s are ASCII, but its \b counts letters, marks, numbers and connectors of any
// script as word characters (`  é.yml` is the key "", not "_"). Checked against Ruby 3.1's
// sanitize_filename on 80,000 random names of ASCII, Unicode letters, digits, marks and spaces.
const SPACE = String.raw`[ \t\n\v\f\r]`;
const WORD = String.raw`[\p{Alphabetic}\p{M}\p{N}\p{Pc}]`;
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
// Ruby's ^ and $ are line anchors. Made when first used: V8 parses a RegExp as it is made, and
// its Unicode properties have ICU build their sets (some milliseconds of every start otherwise).
let dropped: RegExp | undefined;
const droppedCharacters = () =>
  (dropped ??= new RegExp(
    String.raw`[^A-Za-z0-9_ \t\n\v\f\r-]+|(?<=^|\n|${BOUNDARY}${SPACE})${SPACE}+(?=$|\n|${SPACE}?${BOUNDARY})`,
    'gu',
  ));
const SPACES = new RegExp(`${SPACE}+`, 'g');

/**
 * The key Jekyll gives a data file's base name or a folder's name: only ASCII letters, digits,
 * `_` and `-` are kept, and whitespace runs become `_` (`a.b` is `ab`, `my file` is `my_file`).
 */
export function jekyllDataKey(name: string): string {
  return name.replace(droppedCharacters(), '').replace(SPACES, '_');
}

/**
 * The entries of the `_data` folder `folder` that holds `files` and the sub-folders `folders`
 * (paths relative to the site folder, as `listSiteFolderTree` gives them), in the order Jekyll
 * reads them: in each folder the `.yaml` files, then `.yml`, `.json`, `.csv` and `.tsv` (each in
 * name order, by bytes as Ruby sorts), then the sub-folders in name order. Jekyll assigns each one
 * to its key in turn, so of two entries with one key the later wins: `x.json` over `x.yml`, a
 * folder `x/` over both. Every sub-folder is an entry, `{}` in Jekyll when it holds no data file.
 * A file is a data file only when its extension is written in lower case (see
 * {@link miscasedDataFileProblems}).
 */
export function dataFolderEntries(folder: string, files: readonly string[], folders: readonly string[] = []): DataEntry[] {
  const root: FolderListing = { files: [], folders: new Map() };
  const listingOf = (names: readonly string[]): FolderListing => {
    let listing = root;
    for (const name of names) {
      const sub = listing.folders.get(name) ?? { files: [], folders: new Map() };
      listing.folders.set(name, sub);
      listing = sub;
    }
    return listing;
  };
  for (const sub of folders) listingOf(sub.slice(folder.length + 1).split('/'));
  for (const file of files) {
    const names = file.slice(folder.length + 1).split('/');
    listingOf(names.slice(0, -1)).files.push(names.at(-1)!);
  }
  return entriesOf(folder, root);
}

function entriesOf(dir: string, listing: FolderListing): DataEntry[] {
  const files = listing.files
    .map((name) => ({ name, extension: path.posix.extname(name) }))
    // Jekyll's glob, `*.{yaml,yml,json,csv,tsv}`, is case-sensitive on Linux.
    .filter(({ extension }) => JEKYLL_DATA_EXTENSIONS.includes(extension))
    .sort((a, b) => JEKYLL_DATA_EXTENSIONS.indexOf(a.extension) - JEKYLL_DATA_EXTENSIONS.indexOf(b.extension) || byteOrder(a.name, b.name))
    .map(({ name, extension }): DataFileEntry => ({
      kind: 'file',
      path: `${dir}/${name}`,
      key: jekyllDataKey(name.slice(0, -extension.length)),
      extension,
    }));
  const folders = [...listing.folders]
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([name, sub]): DataFolderEntry => ({
      kind: 'folder',
      path: `${dir}/${name}`,
      key: jekyllDataKey(name),
      entries: entriesOf(`${dir}/${name}`, sub),
    }));
  return [...files, ...folders];
}

/**
 * The warnings at the files under the `_data` folder `folder` whose extension is a data file's
 * in another case (`X.YML`, `x.Json`): Jekyll's glob is case-sensitive on Linux, where sites are
 * built, so it never reads them, and neither does this service; the author likely meant it to.
 */
export function miscasedDataFileProblems(folder: string, files: readonly string[]): Diagnostic[] {
  return files.flatMap((file): Diagnostic[] => {
    const extension = path.posix.extname(file);
    if (JEKYLL_DATA_EXTENSIONS.includes(extension) || !JEKYLL_DATA_EXTENSIONS.includes(extension.toLowerCase())) return [];
    const names = file.slice(folder.length + 1, -extension.length).split('/');
    const renamed = `${path.posix.basename(file, extension)}${extension.toLowerCase()}`;
    return [
      {
        code: 'data-extension-case',
        severity: 'warning',
        file,
        line: 1,
        column: 1,
        field: null,
        message: `${file} is not read, by Jekyll nor here: Jekyll reads only data files whose extension is written in lower case (${JEKYLL_DATA_EXTENSIONS.join(', ')}), its file search being case-sensitive on Linux, so ${siteDataPath(names.map(jekyllDataKey))} does not hold it`,
        hint: `Rename it to ${renamed} if it is meant to be data; otherwise move it out of _data/.`,
      },
    ];
  });
}

/**
 * The warning at `unused`, a data file or folder whose key `used`, an entry Jekyll reads after
 * it, gives too; `keys` is their folder's path in site.data.
 */
export function duplicateDataKeyProblem(unused: DataEntry, used: DataEntry, keys: readonly string[]): Diagnostic {
  const why =
    used.kind === 'folder' && unused.kind === 'file'
      ? 'a folder replaces a data file of its name'
      : used.kind === 'file' && unused.kind === 'file' && used.extension !== unused.extension
        ? `it reads ${used.extension} files after ${unused.extension} ones`
        : 'the last in name order wins';
  return {
    code: 'duplicate-data-key',
    severity: 'warning',
    file: unused.path,
    line: 1,
    column: 1,
    field: null,
    message: `${unused.path} is not used: ${used.path} gives the same key, ${siteDataPath([...keys, used.key])}, and Jekyll keeps that one (${why})`,
    hint: 'Rename or remove one of the two (a key keeps only the ASCII letters, digits, "_" and "-" of the name), or merge them.',
  };
}

/**
 * The warning at a data file or folder whose name has no character a key keeps (`日本.yml`):
 * Jekyll stores it under the key "", and so does this service, but nothing names it there but
 * `site.data[""]`; `keys` is its folder's path in site.data.
 */
export function emptyDataKeyProblem(entry: DataEntry, keys: readonly string[]): Diagnostic {
  const reach =
    keys.length === 0 || keys[0] === ''
      ? 'and GET /v1/data cannot serve it, having no name to ask for'
      : `and GET /v1/data/${keys[0]} holds it as the key ""`;
  return {
    code: 'data-key-empty',
    severity: 'warning',
    file: entry.path,
    line: 1,
    column: 1,
    field: null,
    message: `${entry.path} has the empty key: a key keeps only the ASCII letters, digits, "_" and "-" of a name, and this one has none. Jekyll keeps it under "", as this service does: a template can read it only as ${siteDataPath([...keys, ''])}, ${reach}`,
    hint: `Rename the ${entry.kind} with ASCII letters or digits (日本.yml could be nihon.yml), and read it by that name.`,
  };
}

/** How a template names the value at `keys` of site.data: `site.data.team.core`, `site.data[""]` for the empty key. */
function siteDataPath(keys: readonly string[]): string {
  return `site.data${keys.map((key) => (key === '' ? '[""]' : `.${key}`)).join('')}`;
}

/** Ruby sorts file names by their UTF-8 bytes, which differs from UTF-16 order past U+E000. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
