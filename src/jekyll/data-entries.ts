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
// Ruby's ^ and $ are line anchors.
const DROPPED = new RegExp(
  String.raw`[^A-Za-z0-9_ \t\n\v\f\r-]+|(?<=^|\n|${BOUNDARY}${SPACE})${SPACE}+(?=$|\n|${SPACE}?${BOUNDARY})`,
  'gu',
);
const SPACES = new RegExp(`${SPACE}+`, 'g');

/**
 * The key Jekyll gives a data file's base name or a folder's name: only ASCII letters, digits,
 * `_` and `-` are kept, and whitespace runs become `_` (`a.b` is `ab`, `my file` is `my_file`).
 */
export function jekyllDataKey(name: string): string {
  return name.replace(DROPPED, '').replace(SPACES, '_');
}

/**
 * The entries of the `_data` folder `folder` that hold `files` (paths relative to the site
 * folder, as `listSiteFolder` gives them), in the order Jekyll reads them: in each folder the
 * `.yaml` files, then `.yml`, `.json`, `.csv` and `.tsv` (each in name order, by bytes as Ruby
 * sorts), then the sub-folders in name order. Jekyll assigns each one to its key in turn, so of
 * two entries with one key the later wins: `x.json` over `x.yml`, a folder `x/` over both. A
 * folder holding any listed file is an entry (`{}` in Jekyll when it holds no data file).
 */
export function dataFolderEntries(folder: string, files: readonly string[]): DataEntry[] {
  const root: FolderListing = { files: [], folders: new Map() };
  for (const file of files) {
    const names = file.slice(folder.length + 1).split('/');
    let listing = root;
    for (const name of names.slice(0, -1)) {
      const sub = listing.folders.get(name) ?? { files: [], folders: new Map() };
      listing.folders.set(name, sub);
      listing = sub;
    }
    listing.files.push(names.at(-1)!);
  }
  return entriesOf(folder, root);
}

function entriesOf(dir: string, listing: FolderListing): DataEntry[] {
  const files = listing.files
    .map((name) => ({ name, extension: path.posix.extname(name).toLowerCase() }))
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
    message: `${unused.path} is not used: ${used.path} gives the same key, site.data.${[...keys, used.key].join('.')}, and Jekyll keeps that one (${why})`,
    hint: 'Rename or remove one of the two (a key keeps only the ASCII letters, digits, "_" and "-" of the name), or merge them.',
  };
}

/** The warning at a CSV or TSV data file, which Jekyll reads and this service does not; `keys` as above. */
export function unreadDataFormatProblem(entry: DataFileEntry, keys: readonly string[]): Diagnostic {
  return {
    code: 'data-format-unsupported',
    severity: 'warning',
    file: entry.path,
    line: 1,
    column: 1,
    field: null,
    message: `${entry.path} is not read: this service reads only .yml, .yaml and .json data files (Jekyll reads CSV and TSV too), so site.data.${[...keys, entry.key].join('.')} does not hold its rows here`,
    hint: 'If templates or clients of the API need it, convert it to a .yml or .json list with one map per row, keyed by the header line.',
  };
}

/** Ruby sorts file names by their UTF-8 bytes, which differs from UTF-16 order past U+E000. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
