/**
 * Reads what a Jekyll site declares about itself: `_config.yml`, the data
 * files in `_data/`, and the collections — with every YAML problem reported
 * as a diagnostic pointing at its file, line and column.
 */
import { LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { DataParamsSchema } from '../../schemas/data.ts';
import { MAX_IDENTIFIER_LENGTH } from '../../schemas/identifier.ts';
import { PageTypeFilterSchema } from '../../schemas/query.ts';
import { JekyllConfigSchema } from '../../schemas/jekyll-config.ts';
import {
  dataFolderEntries,
  duplicateDataKeyProblem,
  emptyDataKeyProblem,
  miscasedDataFileProblems,
  type DataEntry,
  type DataFileEntry,
} from './data-entries.ts';
import { csvReaderSettings, type CsvFormatReading } from './csv-reader-config.ts';
import { parseJekyllCsv } from './data-csv.ts';
import { collectionPermalinkTemplate } from './permalink.ts';
import { declaredPlugins, unsupportedPluginProblems, type DeclaredPlugin } from './plugins.ts';
import { relaxJekyllYaml } from './relax-yaml.ts';
import { JEKYLL_YAML } from './yaml-schema.ts';
import { contentLimits } from '../content/limits.ts';
import { createSafeFileReader, type SafeFileReader } from '../content/safe-file.ts';
import { formatFieldPath, locateField } from '../content/locate.ts';
import { listSiteFolderTree, readSiteFile, readSiteFileBytes } from '../content/site-files.ts';
import { removeUnsafeKeys, UNSAFE_KEYS } from '../content/unsafe-keys.ts';

/** A collection of the site, the implicit `posts` included. */
export interface JekyllCollection {
  label: string;
  /** Whether Jekyll writes a page for each document. */
  output: boolean;
  /** The URL template of its documents: the declared one, or the one Jekyll derives from the site's `permalink`. */
  permalink: string;
  /** Folder relative to the site folder: `_${label}`, under `collections_dir` if that is set. */
  dir: string;
}

/** What a Jekyll site declares about itself. */
export interface JekyllSite {
  /** `_config.yml` as parsed (Jekyll's built-in defaults not added). */
  config: Record<string, unknown>;
  /** Where `_config.yml` was found, relative to the site folder. */
  configFile: string;
  /** `_data/**\/*.{yaml,yml,json,csv,tsv}` keyed as Jekyll keys them (see `dataFolderEntries`), folders as nested objects. */
  data: Record<string, unknown>;
  collections: JekyllCollection[];
  /** The plugins the config names (`plugins:`, `gems:`), each once. */
  plugins: DeclaredPlugin[];
  /** YAML problems in `_config.yml` and the data files; `file` is relative to the site folder. */
  diagnostics: Diagnostic[];
}

/** A YAML text parsed as Jekyll reads it. */
export interface JekyllYamlResult {
  /**
   * The parsed value, as plain JSON data; what the parser could recover when there were errors;
   * undefined when nothing could be (an alias that cannot be expanded).
   */
  value: unknown;
  diagnostics: Diagnostic[];
}

/** A parsed YAML file, with the way to point at one of its values. */
interface PositionedYaml extends JekyllYamlResult {
  /** File line and column of a field path (the key of a map entry, the item of a list). */
  locate: (path: readonly PropertyKey[]) => { line: number; column: number };
}

/** Where a site may keep its config: Jekyll's place, then the corpus's `_data/` layout. */
export const CONFIG_LOCATIONS = ['_config.yml', '_config.yaml', '_data/_config.yml', '_data/_config.yaml'];

/**
 * What reading the `_data` folder needs besides the folder: the site reader, where problems go,
 * and how CSV and TSV files are read (by extension), whose settings' problems are reported at
 * the first file of their format.
 */
interface DataReading {
  reader: SafeFileReader;
  diagnostics: Diagnostic[];
  tables: Record<'.csv' | '.tsv', CsvFormatReading & { reported: boolean }>;
}

const YAML_HINTS: Readonly<Record<string, string>> = {
  MISSING_CHAR: 'Close the quote or bracket that is still open, or add the ":" after the key.',
  BAD_INDENT: 'Keys of one mapping must start at the same column; indent nested values deeper than their key.',
  TAB_AS_INDENT: 'Indent with spaces; YAML does not allow tabs for indentation.',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line; quote a value that contains ": " or starts with a special character.',
  BLOCK_AS_IMPLICIT_KEY: 'Quote the value: it contains ": " or starts with "-", so YAML reads it as a nested key.',
  BAD_ALIAS: 'Quote the value: a value starting with "*" or "&" is read as an alias or anchor.',
  UNEXPECTED_TOKEN: 'Quote the value, or check the indentation of the line.',
  DUPLICATE_KEY: 'Remove one of the two keys; Jekyll keeps the last one.',
  TAG_RESOLVE_FAILED: 'Remove the tag (!!binary, !!timestamp, !!set…): the value is read as the plain text, list or map written after it.',
};
const DEFAULT_YAML_HINT = 'Fix the YAML at this position; Jekyll cannot read this file as it is.';

/**
 * Reads the Jekyll site in `dir`, or returns null when `dir` has no
 * `_config.yml` (nor `_data/_config.yml`), i.e. is not a Jekyll site.
 */
export async function readJekyllSite(dir: string, reader: SafeFileReader = createSafeFileReader(dir)): Promise<JekyllSite | null> {
  const configFile = await firstExisting(reader, CONFIG_LOCATIONS);
  if (configFile === null) return null;

  const diagnostics: Diagnostic[] = [];
  const configText = await readSiteFile(reader, configFile, contentLimits.maxConfigFileBytes);
  if (configText?.problem) diagnostics.push(configText.problem);
  const parsedConfig = configText && 'text' in configText ? parseYamlFile(configText.text, configFile) : null;
  diagnostics.push(...(parsedConfig?.diagnostics ?? []));
  let config: Record<string, unknown> = {};
  if (parsedConfig && isMapping(parsedConfig.value)) config = validConfig(parsedConfig, configFile, diagnostics);
  else if (parsedConfig && parsedConfig.value != null) {
    diagnostics.push({
      code: 'config-not-a-map',
      severity: 'error',
      file: configFile,
      line: 1,
      column: 1,
      field: null,
      message: `${configFile} must be a mapping of settings (got ${describe(parsedConfig.value)}).`,
      hint: 'Write the settings as "key: value" lines at the top level.',
    });
  }

  const plugins = configText && 'text' in configText ? declaredPlugins(configText.text) : [];
  diagnostics.push(...unsupportedPluginProblems(plugins, configFile));
  const tables = csvReaderSettings(config, configFile, parsedConfig?.locate ?? (() => ({ line: 1, column: 1 })));
  const data = await readDataFolder(
    {
      reader,
      diagnostics,
      tables: { '.csv': { ...tables.csv, reported: false }, '.tsv': { ...tables.tsv, reported: false } },
    },
    '_data',
    configFile,
  );
  const locate = parsedConfig?.locate ?? (() => ({ line: 1, column: 1 }));
  const collections = routableCollections(siteCollections(config), config.collections, configFile, locate, diagnostics);
  return { config, configFile, data, collections, plugins, diagnostics };
}

/**
 * The collections whose label the `type` filter of /v1/pages and /v1/search takes (its own
 * schema, see schemas/identifier.ts): a page is listed with its collection as its type, so any
 * other label would list pages no filter could select. Such a collection is reported at its label
 * in `_config.yml` and left out, its folder then an underscore folder like any other (not served).
 */
function routableCollections(
  collections: JekyllCollection[],
  declared: unknown,
  configFile: string,
  locate: PositionedYaml['locate'],
  diagnostics: Diagnostic[],
): JekyllCollection[] {
  return collections.filter(({ label, dir }) => {
    if (PageTypeFilterSchema.safeParse(label).success) return true;
    const shown = label.length > 60 ? `${label.slice(0, 60)}…` : label;
    const index = Array.isArray(declared) ? declared.findIndex((item) => String(item) === label) : -1;
    diagnostics.push({
      code: 'collection-not-routable',
      severity: 'error',
      file: configFile,
      ...locate(['collections', index >= 0 ? index : label]),
      field: 'collections',
      message:
        `the collection "${shown}" has a label ${label.length} characters long, and /v1/pages?type= takes 1 to ` +
        `${MAX_IDENTIFIER_LENGTH}, so the collection is left out: nothing in ${dir.slice(0, 80)}${dir.length > 80 ? '…' : ''}/ is served`,
      hint: `Give the collection a label of 1 to ${MAX_IDENTIFIER_LENGTH} characters (and rename its folder to match).`,
    });
    return false;
  });
}

/**
 * Parses YAML the way Jekyll (Psych) reads it: first as is; if that fails,
 * again after {@link relaxJekyllYaml}, reporting each relaxation as a warning.
 * Duplicate keys are allowed, the last one winning. Line numbers always point
 * at `source`; `lineOffset` shifts them when `source` is part of a file (front
 * matter starts on line 2).
 */
export function parseJekyllYaml(source: string, file: string, lineOffset = 0): JekyllYamlResult {
  const { value, diagnostics } = parseYamlFile(source, file, lineOffset);
  return { value, diagnostics };
}

function parseYamlFile(source: string, file: string, lineOffset = 0): PositionedYaml {
  const strict = parseWithPositions(source, file, lineOffset);
  if (!strict.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return strict;

  const relaxed = relaxJekyllYaml(source);
  if (relaxed.fixes.length === 0) return strict;
  const reparsed = parseWithPositions(relaxed.source, file, lineOffset);
  const warnings: Diagnostic[] = relaxed.fixes.map((fix) => ({
    code: fix.code,
    severity: 'warning',
    file,
    line: fix.line + lineOffset,
    column: fix.column,
    field: null,
    message: fix.message,
    hint: 'Indent every continuation line of a multi-line value deeper than its key, or use a block scalar ("key: >").',
  }));
  return { ...reparsed, diagnostics: [...warnings, ...reparsed.diagnostics] };
}

/**
 * The config with each setting of the wrong type (see {@link JekyllConfigSchema}) left out, so
 * that its default applies, and reported at its line; a bad item of a list is left out alone.
 */
function validConfig(parsed: PositionedYaml, file: string, diagnostics: Diagnostic[]): Record<string, unknown> {
  const written = parsed.value as Record<string, unknown>;
  const checked = JekyllConfigSchema.safeParse(written);
  if (checked.success) return written;
  const config = { ...written };
  for (const issue of checked.error.issues) {
    const [key, index] = issue.path as [string, PropertyKey?];
    const list = written[key];
    if (typeof index === 'number' && Array.isArray(list)) {
      // The schema's only nested values are list items (`exclude: [vendor, 5]`).
      diagnostics.push(configProblem(issue, list[index], file, parsed.locate([key, index])));
      config[key] = (config[key] as unknown[]).filter((item) => item !== list[index]);
    } else {
      diagnostics.push(configProblem(issue, written[key], file, parsed.locate([key])));
      delete config[key];
    }
  }
  return config;
}

function configProblem(issue: z.core.$ZodIssue, value: unknown, file: string, at: { line: number; column: number }): Diagnostic {
  const field = formatFieldPath(issue.path.slice(0, 2));
  const key = String(issue.path[0]);
  const expected =
    issue.code !== 'invalid_type' ? issue.message : `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
  const quotable =
    issue.code === 'invalid_type' && issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean');
  return {
    code: 'invalid-config',
    severity: 'error',
    file,
    ...at,
    field,
    message:
      `${field} ${expected} (got ${describe(value)}); ` +
      (issue.path.length > 1 ? 'that item is left out' : 'the setting is ignored, as if it were not set'),
    hint: quotable ? `Quote it: ${issue.path.length > 1 ? '' : `${key}: `}"${String(value)}"` : `Give ${key} the type named, or remove it.`,
  };
}

/** The declared collections plus the implicit `posts`, in Jekyll's order (posts first). */
function siteCollections(config: Record<string, unknown>): JekyllCollection[] {
  const declared = declaredCollections(config.collections);
  const sitePermalink = typeof config.permalink === 'string' ? config.permalink : undefined;
  const collectionsDir = typeof config.collections_dir === 'string' ? config.collections_dir.replace(/^\/+|\/+$/g, '') : '';
  const labels = ['posts', ...Object.keys(declared).filter((label) => label !== 'posts')];
  return labels.map((label) => {
    const metadata = declared[label] ?? {};
    const folder = `_${label}`;
    return {
      label,
      output: label === 'posts' ? true : Boolean(metadata.output),
      permalink: collectionPermalinkTemplate(label, typeof metadata.permalink === 'string' ? metadata.permalink : undefined, sitePermalink),
      dir: collectionsDir === '' ? folder : `${collectionsDir}/${folder}`,
    };
  });
}

/** `collections:` may be a mapping of label to metadata, or a list of labels. */
function declaredCollections(value: unknown): Record<string, Record<string, unknown>> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((label) => [String(label), {}]));
  if (!isMapping(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([label, metadata]) => [label, isMapping(metadata) ? metadata : {}]));
}

/**
 * Reads one `_data` folder into an object, sub-folders becoming nested objects, with Jekyll's
 * keys and, when two entries give one key, Jekyll's choice (see {@link dataFolderEntries}).
 */
async function readDataFolder(reading: DataReading, folder: string, configFile: string): Promise<Record<string, unknown>> {
  const { files, folders } = await listSiteFolderTree(reading.reader, folder);
  const dataFiles = files.filter((file) => file !== configFile);
  reading.diagnostics.push(...miscasedDataFileProblems(folder, dataFiles));
  return readDataEntries(reading, dataFolderEntries(folder, dataFiles, folders), []);
}

/** Reads the entries of one data folder; `keys` is the folder's path in site.data. */
async function readDataEntries(
  reading: DataReading,
  entries: readonly DataEntry[],
  keys: readonly string[],
): Promise<Record<string, unknown>> {
  const { diagnostics } = reading;
  const readable: DataEntry[] = [];
  for (const entry of entries) {
    if (UNSAFE_KEYS.has(entry.key)) diagnostics.push(...unsafeDataNameProblems(entry, entry));
    else readable.push(entry);
  }
  // As a Ruby hash does: each key where it was first set, holding the last entry set to it.
  const used = new Map(readable.map((entry) => [entry.key, entry]));
  const values = new Map<DataEntry, unknown>();
  for (const entry of readable) {
    if (entry.key === '') diagnostics.push(emptyDataKeyProblem(entry, keys));
    // Read all the same, as Jekyll reads it (templates see it); /v1/data neither serves nor names it.
    else if (keys.length === 0 && !DataParamsSchema.shape.name.safeParse(entry.key).success)
      diagnostics.push(unroutableDataNameProblem(entry));
    const winner = used.get(entry.key)!;
    if (winner !== entry) diagnostics.push(duplicateDataKeyProblem(entry, winner, keys));
    // An entry not used is read all the same, under the same caps: Jekyll parses every data file,
    // and one it cannot parse fails its build, so its errors must show here too.
    values.set(entry, await readDataEntry(reading, entry, [...keys, entry.key]));
  }

  // Set in Jekyll's order; yet a JavaScript object lists integer-like keys (`2024`) first, a
  // known difference that docs/guides/jekyll.md ("Key order") states.
  const data: Record<string, unknown> = {};
  for (const [key, entry] of used) {
    const value = values.get(entry);
    // A file that could not be read at all (its aliases) is left out, never served as null.
    if (value !== undefined) data[key] = value;
  }
  return data;
}

/** The value of one data file or folder, its problems added to `diagnostics`; undefined when it has none. */
async function readDataEntry(reading: DataReading, entry: DataEntry, keys: readonly string[]): Promise<unknown> {
  const { reader, diagnostics } = reading;
  if (entry.kind === 'folder') return readDataEntries(reading, entry.entries, keys);
  if (entry.extension === '.csv' || entry.extension === '.tsv') return readTableEntry(reading, entry, entry.extension);
  const read = await readSiteFile(reader, entry.path, contentLimits.maxDataFileBytes);
  if (!read) return undefined;
  if (read.problem) diagnostics.push(read.problem);
  if (!('text' in read)) return undefined;
  // Jekyll reads JSON data with its YAML parser too; JSON is a subset of YAML 1.2.
  const parsed = parseJekyllYaml(read.text, entry.path);
  diagnostics.push(...parsed.diagnostics);
  return parsed.value;
}

/**
 * The rows of a CSV or TSV data file, read as `_config.yml`'s `csv_reader` or `tsv_reader` says;
 * undefined when it cannot be read (its problems added to the diagnostics).
 */
async function readTableEntry(reading: DataReading, entry: DataFileEntry, extension: '.csv' | '.tsv'): Promise<unknown> {
  const format = reading.tables[extension];
  if (!format.reported) reading.diagnostics.push(...format.problems);
  format.reported = true;
  const read = await readSiteFileBytes(reading.reader, entry.path, contentLimits.maxDataFileBytes);
  if (!read) return undefined;
  if ('problem' in read) {
    reading.diagnostics.push(read.problem);
    return undefined;
  }
  const parsed = parseJekyllCsv(read.bytes, entry.path, extension === '.csv' ? ',' : '\t', format.reading);
  reading.diagnostics.push(...parsed.diagnostics);
  return parsed.value;
}

/**
 * The warnings for `named`, a data file or folder whose key would be unsafe: one at each data file
 * of `entry` (`named` itself, or what it holds).
 */
function unsafeDataNameProblems(named: DataEntry, entry: DataEntry): Diagnostic[] {
  if (entry.kind === 'folder') return entry.entries.flatMap((inner) => unsafeDataNameProblems(named, inner));
  return [
    {
      code: 'unsafe-key',
      severity: 'warning',
      file: entry.path,
      line: 1,
      column: 1,
      field: null,
      message: `${entry.path} is not read: its name would be the key ${named.key} of site.data, which code could take for the object's own ${named.key}`,
      hint: `Rename the ${named.kind}.`,
    },
  ];
}

/**
 * The warning at an entry of `_data/` itself whose key is longer than /v1/data/{name} takes (the
 * rule of schemas/identifier.ts): site.data holds it, as Jekyll's does, but no request can get it.
 */
function unroutableDataNameProblem(entry: DataEntry): Diagnostic {
  return {
    code: 'data-name-not-routable',
    severity: 'warning',
    file: entry.path,
    line: 1,
    column: 1,
    field: null,
    message: `${entry.path} is in site.data, as Jekyll has it, but its key, ${entry.key.slice(0, 40)}…, is ${entry.key.length} characters long and /v1/data/{name} takes at most ${MAX_IDENTIFIER_LENGTH}: no request can get it, and /v1/data does not name it`,
    hint: `Rename the ${entry.kind} to a name of 1 to ${MAX_IDENTIFIER_LENGTH} ASCII letters, digits, "_" and "-".`,
  };
}

function parseWithPositions(source: string, file: string, lineOffset: number): PositionedYaml {
  const lineCounter = new LineCounter();
  // Read as front matter is (see JEKYLL_YAML): YAML 1.1 as Jekyll reads it, data only.
  const document = parseDocument(source, { ...JEKYLL_YAML, uniqueKeys: false, prettyErrors: false, lineCounter });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  const toDiagnostic = (problem: YAMLError, severity: Diagnostic['severity']): Diagnostic => ({
    code: severity === 'error' ? 'yaml-syntax' : 'yaml-warning',
    severity,
    file,
    ...position(problem.pos[0]),
    field: null,
    message:
      severity === 'error'
        ? `${file} is not valid YAML: ${problem.message.split('\n')[0]}`
        : `${file} has questionable YAML: ${problem.message.split('\n')[0]}`,
    hint: YAML_HINTS[problem.code] ?? DEFAULT_YAML_HINT,
  });
  const diagnostics = [
    ...document.errors.map((problem) => toDiagnostic(problem, 'error')),
    ...document.warnings.map((problem) => toDiagnostic(problem, 'warning')),
    ...removeUnsafeKeys(document).map(({ path, offset }): Diagnostic => {
      const key = String(path.at(-1));
      return {
        code: 'unsafe-key',
        severity: 'warning',
        file,
        ...position(offset),
        field: formatFieldPath(path),
        message: `the key ${key} is dropped: code that reads ${file} could take it for the object's own ${key}`,
        hint: `Rename the key; ${key} is never served, at any depth.`,
      };
    }),
  ];
  const recovered = recoveredValue(document);
  if ('failure' in recovered) {
    const { message, aliasAt } = recovered.failure;
    const hint = message.startsWith('Unresolved alias')
      ? 'Set the anchor (&name) before the alias (*name), or quote the value: a value starting with "*" is read as an alias.'
      : `Use at most ${contentLimits.maxYamlAliases} aliases (*name) and no alias loops.`;
    diagnostics.push({
      code: aliasAt === undefined ? 'yaml-syntax' : 'yaml-aliases',
      severity: 'error',
      file,
      ...position(aliasAt ?? 0),
      field: null,
      message: `${file} could not be read: ${message.split('\n')[0]}`,
      hint: aliasAt === undefined ? DEFAULT_YAML_HINT : hint,
    });
  }
  return {
    value: 'value' in recovered ? recovered.value : undefined,
    diagnostics,
    locate: (path) => {
      const { line, col } = locateField(document, path, lineCounter);
      return { line: line + lineOffset, column: col };
    },
  };
}

/**
 * The document's value (with syntax errors, what can be recovered), its aliases expanded at most
 * `maxYamlAliases` times; or why it cannot be had, and the alias to point at: the first that
 * names no anchor, or else (too many expansions) the first of the document.
 */
function recoveredValue(document: Document.Parsed): { value: unknown } | { failure: { message: string; aliasAt: number | undefined } } {
  try {
    return { value: document.toJS({ maxAliasCount: contentLimits.maxYamlAliases }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    let first: number | undefined;
    let unresolved: number | undefined;
    visit(document, {
      Alias(_key, alias) {
        first ??= alias.range?.[0];
        if (alias.resolve(document) !== undefined) return undefined;
        unresolved = alias.range?.[0];
        return visit.BREAK;
      },
    });
    return { failure: { message, aliasAt: unresolved ?? first } };
  }
}

async function firstExisting(reader: SafeFileReader, candidates: readonly string[]): Promise<string | null> {
  for (const candidate of candidates) {
    const found = await reader.look(candidate);
    // A config that is a symlink out (or a FIFO) still makes the folder a Jekyll site: reading it reports why it was skipped.
    if (found.ok || found.reason !== 'missing') return candidate;
  }
  return null;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return isMapping(value) ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}
