/**
 * How `_config.yml` asks Jekyll 4 to read CSV and TSV data files (`DataReader#read_config`):
 * `csv_reader` and `tsv_reader`, each with `headers` (default true), `encoding` (default the
 * site's `encoding`, itself "utf-8") and `csv_converters` (Ruby CSV converters, none by default).
 * What this service cannot do as Jekyll does is said at the setting's line, not done otherwise
 * in silence.
 */
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { DEFAULT_CSV_READING, type CsvReading } from './data-csv.ts';

/** How the files of one format are read, and what is wrong with the settings that say so. */
export interface CsvFormatReading {
  reading: CsvReading;
  /** Reported once, when the site has a data file of this format. */
  problems: Diagnostic[];
}

/** Line and column of a setting of `_config.yml` by its path. */
type LocateSetting = (path: readonly PropertyKey[]) => { line: number; column: number };

/** The reading of `.csv` files (`csv_reader`) and of `.tsv` files (`tsv_reader`). */
export function csvReaderSettings(
  config: Record<string, unknown>,
  configFile: string,
  locate: LocateSetting,
): { csv: CsvFormatReading; tsv: CsvFormatReading } {
  return {
    csv: formatReading('csv_reader', 'CSV', config, configFile, locate),
    tsv: formatReading('tsv_reader', 'TSV', config, configFile, locate),
  };
}

function formatReading(
  key: 'csv_reader' | 'tsv_reader',
  format: string,
  config: Record<string, unknown>,
  configFile: string,
  locate: LocateSetting,
): CsvFormatReading {
  const problems: Diagnostic[] = [];
  const problem = (path: readonly PropertyKey[], code: 'invalid-config' | 'data-format-unsupported', message: string, hint: string) =>
    problems.push({
      code,
      severity: code === 'invalid-config' ? 'error' : 'warning',
      file: configFile,
      ...locate(path),
      field: path.join('.'),
      message,
      hint,
    });
  // Jekyll's `config[key] || {}`: false and nil are no settings.
  const settings = config[key] === false ? null : config[key];
  if (settings != null && (typeof settings !== 'object' || Array.isArray(settings))) {
    problem(
      [key],
      'invalid-config',
      `${key} must be a map of settings (headers, encoding, csv_converters); Jekyll's build fails on it, and it is ignored here, so ${format} data files are read as if it were not set`,
      `Write it as a map: ${key}: { headers: true }`,
    );
  }
  const reader = settings != null && typeof settings === 'object' && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
  const reading: CsvReading = { ...DEFAULT_CSV_READING };

  if (Object.hasOwn(reader, 'headers')) {
    // Jekyll passes the value on to Ruby's CSV, for which nil and false both mean no header line.
    const headers = reader.headers;
    if (headers === true || headers === false || headers === null) reading.headers = headers === true;
    else {
      problem(
        [key, 'headers'],
        'data-format-unsupported',
        `${key}.headers is ${JSON.stringify(headers)}: Ruby's CSV takes a list or a line of header names there, which this service does not; its ${format} data files are read with their first line as the header, as with headers: true`,
        'Use headers: true or false, and write the header line into the file.',
      );
    }
  }

  // Jekyll's fetch("encoding", config["encoding"]): a reader's own setting, even an empty one, wins.
  const [encodingPath, encoding] = Object.hasOwn(reader, 'encoding')
    ? [[key, 'encoding'], reader.encoding]
    : [['encoding'], config.encoding];
  const name = typeof encoding === 'string' ? encoding.trim().toLowerCase() : encoding;
  if (name === 'bom|utf-8') reading.stripBom = true;
  else if (name != null && name !== 'utf-8') {
    problem(
      encodingPath,
      'data-format-unsupported',
      `${encodingPath.join('.')} is ${JSON.stringify(encoding)}: this service reads ${format} data files only as UTF-8 ("utf-8" or "bom|utf-8"), so it reads them as UTF-8, and one that is not UTF-8 is refused`,
      `Save the ${format} files as UTF-8 and set the encoding to utf-8 (or bom|utf-8, to drop a byte-order mark).`,
    );
  }

  const converters = reader.csv_converters;
  if (converters != null && !(Array.isArray(converters) && converters.length === 0)) {
    problem(
      [key, 'csv_converters'],
      'data-format-unsupported',
      `${key}.csv_converters is not applied here: where Jekyll turns ${format} fields into numbers or dates, this service keeps the text ("42", not 42)`,
      'Remove csv_converters and convert in the template where a number is needed ({{ row.count | plus: 0 }}), or keep the data in .yml or .json, whose numbers are numbers.',
    );
  }
  if (Object.hasOwn(reader, 'converters')) {
    problem(
      [key, 'converters'],
      'data-format-unsupported',
      `${key}.converters does nothing: Jekyll 4 reads the converters from csv_converters, whatever its documentation says, so it ignores this setting, as this service does, and ${format} fields stay text`,
      'Remove the setting; csv_converters would apply in Jekyll, and is not applied here.',
    );
  }
  return { reading, problems };
}
