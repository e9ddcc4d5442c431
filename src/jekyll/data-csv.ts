/**
 * Reads a `.csv` or `.tsv` data file as Jekyll 4 does. `DataReader#read_data_file` calls Ruby's
 * `CSV.read(path, headers: true, encoding: "utf-8")` (with `col_sep: "\t"` for TSV) and turns
 * each row into a hash with `CSV::Row#to_hash`. csv-parse does the parsing; this module sets it up
 * to accept and refuse what Ruby's CSV accepts and refuses, and maps rows as `to_hash` does. Each
 * behaviour was checked against Ruby 3.1's csv 3.2.2 through Jekyll's own code, and the rows (or
 * the refusal) compared on 60,000 generated texts of quotes, separators, tabs, CR, LF and spaces.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { Diagnostic } from '../../schemas/diagnostic.ts';
import { contentLimits } from '../content/limits.ts';
import { decodeUtf8, notUtf8Problem } from '../content/utf8-text.ts';
import { UNSAFE_KEYS } from '../content/unsafe-keys.ts';

/** How `_config.yml`'s `csv_reader` (or `tsv_reader`) asks for a file to be read. */
export interface CsvReading {
  /** `headers:`: the first row names the fields and rows are maps; when false every row is a list. */
  headers: boolean;
  /** `encoding: bom|utf-8`: a byte-order mark is dropped instead of starting the first header. */
  stripBom: boolean;
}

/** What Jekyll does when `_config.yml` says nothing. */
export const DEFAULT_CSV_READING: CsvReading = { headers: true, stripBom: false };

/** The rows of a CSV or TSV file, with its problems. */
export interface CsvData {
  /** The rows; undefined when the file cannot be read (Jekyll's build fails on it). */
  value: unknown[] | undefined;
  diagnostics: Diagnostic[];
}

/** One record as csv-parse read it: an unquoted empty field is null (Ruby's nil), a quoted one "". */
interface CsvRecord {
  fields: (string | null)[];
  /** How many fields csv-parse counted: 1 for a blank line, of no fields in Ruby. */
  fieldCount: number;
  /** Offset of its first character in the text parsed. */
  start: number;
  /** Offset past its last character, the line break that ends it included. */
  end: number;
}

/** Why reading stopped at an offset of the text parsed; thrown from csv-parse's callbacks. */
class CsvStop extends Error {
  constructor(
    readonly code: 'csv-syntax' | 'csv-limit',
    readonly offset: number,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const QUOTE_HINT = 'Wrap the whole field in double quotes and write each quote inside it twice: "say ""hi""".';

/**
 * The rows of the CSV (`separator` ",") or TSV ("\t") data file `file`: with headers, one map
 * per row from header to text (null for an empty field, as Ruby's nil), else one list per row.
 * Malformed text (a quote left open, a quote inside an unquoted field, mixed line endings) and
 * bytes that are not UTF-8 are an error at their line and column, and the file is left out, as it fails
 * Jekyll's build; so is a file past one of the caps on rows and cells (`contentLimits.maxCsv*`).
 */
export function parseJekyllCsv(bytes: Uint8Array, file: string, separator: ',' | '\t', reading: CsvReading): CsvData {
  // The byte-order mark is kept as text: Ruby's "utf-8" encoding does not drop it.
  const { text: decoded, break: notUtf8 } = decodeUtf8(bytes);
  if (notUtf8)
    return {
      value: undefined,
      diagnostics: [
        {
          file,
          ...notUtf8Problem(notUtf8, "Ruby's CSV reader refuses it, and the file is left out of site.data"),
          hint: 'Save the file as UTF-8 (in a spreadsheet: "CSV UTF-8").',
        },
      ],
    };
  const text = reading.stripBom && decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
  const shift = decoded.length - text.length;
  const stopAt = (stop: CsvStop): CsvData => ({
    value: undefined,
    diagnostics: [
      {
        code: stop.code,
        severity: 'error',
        file,
        ...positionAt(decoded, stop.offset + shift),
        field: null,
        message:
          stop.code === 'csv-syntax'
            ? `${file} ${stop.message}; Jekyll's build fails on it, and the file is left out of site.data`
            : `${file} ${stop.message}, past this service's cap (a hostile file could hold the loader for seconds); Jekyll reads it, this service leaves it out of site.data`,
        hint: stop.hint,
      },
    ],
  });

  let records: CsvRecord[];
  try {
    records = readRecords(text, separator, reading.headers);
  } catch (error) {
    if (error instanceof CsvStop) return stopAt(error);
    throw error;
  }
  if (!reading.headers) return { value: records.map((record) => record.fields), diagnostics: [] };
  const [header, ...rows] = records;
  if (!header) return { value: [], diagnostics: [] };
  const diagnostics = headerProblems(header, rows, separator, decoded, shift, file);
  const unsafe = new Set(header.fields.flatMap((name, index) => (name !== null && UNSAFE_KEYS.has(name) ? [index] : [])));
  return { value: rows.map((row) => rowToHash(header.fields, row.fields, unsafe)), diagnostics };
}

/**
 * The records of `text`, parsed as Ruby's CSV parses it; throws a {@link CsvStop} where it would
 * raise `CSV::MalformedCSVError`, or where the file passes a cap.
 */
function readRecords(text: string, separator: string, headers: boolean): CsvRecord[] {
  const rowSeparator = rubyRowSeparator(text);
  const records: CsvRecord[] = [];
  let next = 0;
  let cells = 0;
  let ragged = 0;
  const limit = (start: number, message: string) =>
    new CsvStop(
      'csv-limit',
      start,
      message,
      'Split the file, or remove the blank lines, extra separators and unused columns that make it long or wide.',
    );
  try {
    parse(text, {
      delimiter: separator,
      quote: '"',
      escape: '"',
      // Ruby takes the first line break of the file as every row's end, and then refuses any
      // other line break outside quotes (found below, in the record's text).
      record_delimiter: rowSeparator,
      relax_column_count: true,
      skip_empty_lines: false,
      bom: false,
      raw: true,
      // No cast: csv-parse builds a context object for each field it casts, which made a 1 MB
      // file take seconds; whether a field is quoted is read from the record's text instead.
      // With raw set, csv-parse hands each record over as { record, raw }, which its types do not say.
      on_record: (output: unknown, context) => {
        const { record } = output as { record: string[] };
        const start = next;
        // csv-parse's raw holds only the first character of a two-character record delimiter
        // (CRLF gives "\r"), so the record's text is taken from the source.
        const given = context.raw ?? '';
        const raw = text.slice(
          start,
          start +
            given.length +
            (rowSeparator === '\r\n' && given.endsWith('\r') && text.startsWith('\r\n', start + given.length - 1) ? 1 : 0),
        );
        next += raw.length;
        const scan = scanRecord(raw, separator);
        const body = raw.endsWith(rowSeparator) ? raw.length - rowSeparator.length : raw.length;
        if (scan.lineBreak >= 0 && scan.lineBreak < body) {
          throw new CsvStop(
            'csv-syntax',
            start + scan.lineBreak,
            `has a line break outside quotes that is not ${describeLineBreak(rowSeparator)}, the one its first line ends with, which Ruby's CSV takes for the end of every row`,
            'End every line the same way (all LF, or all CRLF), and quote a field that holds a line break.',
          );
        }
        // A blank line is a row of no fields in Ruby (csv-parse gives one empty field); an empty
        // field is nil unless quoted ("").
        const fields =
          body === 0 ? [] : record.map((value, index) => (value === '' && raw[scan.fieldStarts[index]] !== '"' ? null : value));
        // A short row costs a cell per header all the same: each becomes a key of its map.
        const width = headers && records.length > 0 ? records[0].fields.length : 0;
        cells += Math.max(fields.length, width, 1);
        if (records.length > 0 && record.length !== records[0].fieldCount) ragged += 1;
        if (records.length >= contentLimits.maxCsvRows) {
          throw limit(start, `has more than ${contentLimits.maxCsvRows.toLocaleString('en')} rows by this line`);
        }
        if (cells > contentLimits.maxCsvCells) {
          throw limit(
            start,
            `has more than ${contentLimits.maxCsvCells.toLocaleString('en')} cells (rows times columns, a short row counted at the header's width) by this line`,
          );
        }
        if (ragged > contentLimits.maxCsvRaggedRows) {
          throw limit(
            start,
            `has more than ${contentLimits.maxCsvRaggedRows.toLocaleString('en')} rows whose number of fields differs from the first line's by this line (blank lines count)`,
          );
        }
        records.push({ fields, fieldCount: record.length, start, end: next });
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw malformed(error, next, separator);
    throw error;
  }
  return records;
}

/** The {@link CsvStop} for a csv-parse error in the record that starts at `start`, pointing at its cause. */
function malformed(error: CsvError, start: number, separator: string): CsvStop {
  const raw = typeof error.raw === 'string' ? error.raw : '';
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      // raw ends with the quote.
      return new CsvStop('csv-syntax', start + raw.length - 1, 'has a quote inside a field that does not start with one', QUOTE_HINT);
    case 'CSV_INVALID_CLOSING_QUOTE':
      // raw ends with the closing quote; what follows it is the fault.
      return new CsvStop('csv-syntax', start + raw.length, 'has text after the closing quote of a field', QUOTE_HINT);
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvStop(
        'csv-syntax',
        start + scanRecord(raw, separator).openQuote,
        'has a quoted field that is never closed',
        'Close the quote; a quote inside a quoted field is written twice ("").',
      );
    default:
      return new CsvStop('csv-syntax', start, `is not valid CSV: ${error.message.split('\n')[0]}`, QUOTE_HINT);
  }
}

/** The map `CSV::Row#to_hash` makes: for a key given twice, the first field's; a field past the headers has the key nil, here "". */
function rowToHash(
  headers: readonly (string | null)[],
  fields: readonly (string | null)[],
  unsafe: ReadonlySet<number>,
): Record<string, string | null> {
  const row: Record<string, string | null> = {};
  const width = Math.max(headers.length, fields.length);
  for (let index = 0; index < width; index++) {
    if (unsafe.has(index)) continue;
    const key = headers[index] ?? '';
    if (!Object.hasOwn(row, key)) row[key] = fields[index] ?? null;
  }
  return row;
}

/**
 * The warnings about a header line that leaves values unreachable or keyed otherwise than the
 * author sees: a byte-order mark glued to the first name, an empty name, a name given twice,
 * rows longer than the header, names that could reach an object's prototype. Each kind is
 * reported once, at its first case, with how many more there are.
 */
function headerProblems(
  header: CsvRecord,
  rows: readonly CsvRecord[],
  separator: string,
  text: string,
  shift: number,
  file: string,
): Diagnostic[] {
  const names = header.fields;
  const starts = scanRecord(text.slice(header.start + shift, header.end + shift), separator).fieldStarts;
  const at = (index: number) => positionAt(text, header.start + shift + (starts[index] ?? 0));
  const diagnostics: Diagnostic[] = [];
  const warn = (index: number, code: 'csv-header' | 'unsafe-key', message: string, hint: string) =>
    diagnostics.push({ code, severity: 'warning', file, ...at(index), field: null, message: `${file}: ${message}`, hint });
  const more = (count: number, one: string, many: string) => (count > 1 ? ` (and ${count - 1} more ${count === 2 ? one : many})` : '');

  if (names[0]?.startsWith('\uFEFF')) {
    warn(
      0,
      'csv-header',
      `the file starts with a byte-order mark, which Jekyll reads as part of the first header: its key is "\\uFEFF${names[0].slice(1)}", not "${names[0].slice(1)}", so a template that names it finds nothing, here as in Jekyll`,
      'Save the file without a byte-order mark ("CSV" rather than "CSV UTF-8"), or set csv_reader: { encoding: \'bom|utf-8\' } in _config.yml.',
    );
  }
  const empty = names.flatMap((name, index) => (name === null || name === '' ? [index] : []));
  if (empty.length > 0) {
    warn(
      empty[0],
      'csv-header',
      `column ${empty[0] + 1} has no header${more(empty.length, 'column', 'columns')}: Jekyll keeps its values under an empty key (nil), which a template cannot name, and only the first such column's`,
      'Give every column a header.',
    );
  }
  // A Map, not indexOf: a hostile header line may have hundreds of thousands of names.
  const firstOf = new Map<string, number>();
  const repeated: number[] = [];
  names.forEach((name, index) => {
    if (name === null) return;
    if (firstOf.has(name)) repeated.push(index);
    else firstOf.set(name, index);
  });
  if (repeated.length > 0) {
    const name = names[repeated[0]]!;
    warn(
      repeated[0],
      'csv-header',
      `column ${repeated[0] + 1}'s header "${name}" is column ${firstOf.get(name)! + 1}'s too${more(repeated.length, 'repeated header', 'repeated headers')}: each row's "${name}" holds column ${firstOf.get(name)! + 1}'s value, as in Jekyll, and column ${repeated[0] + 1}'s values are in site.data neither there nor here`,
      'Give each column its own header.',
    );
  }
  const long = rows.filter((row) => row.fields.length > names.length);
  if (long.length > 0) {
    diagnostics.push({
      code: 'csv-header',
      severity: 'warning',
      file,
      ...positionAt(
        text,
        long[0].start +
          shift +
          (scanRecord(text.slice(long[0].start + shift, long[0].end + shift), separator).fieldStarts[names.length] ?? 0),
      ),
      field: null,
      message: `${file}: this row has ${long[0].fields.length} fields and the header ${names.length}${more(long.length, 'row', 'rows')}: Jekyll keeps the first field past the header under an empty key (nil), which a template cannot name, and drops the others`,
      hint: 'Add headers for the extra columns, or remove the extra fields (a comma too many, an unquoted comma inside a value).',
    });
  }
  for (const index of names.flatMap((name, index) => (name !== null && UNSAFE_KEYS.has(name) ? [index] : []))) {
    warn(
      index,
      'unsafe-key',
      `the column ${names[index]} is dropped: code that reads the rows could take it for the object's own ${names[index]}`,
      `Rename the header; ${names[index]} is never served.`,
    );
  }
  return diagnostics;
}

/**
 * Where the fields of a raw record start, where its first line break outside quotes is (-1 for
 * none), and where its last quoted field opens. csv-parse read it already, so its quotes pair up.
 */
function scanRecord(raw: string, separator: string): { fieldStarts: number[]; lineBreak: number; openQuote: number } {
  const fieldStarts = [0];
  let lineBreak = -1;
  let openQuote = 0;
  let quoted = false;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (char === '"') {
      if (!quoted && index === fieldStarts.at(-1)) openQuote = index;
      quoted = !quoted;
    } else if (!quoted && char === separator) fieldStarts.push(index + 1);
    else if (!quoted && lineBreak < 0 && (char === '\n' || char === '\r')) lineBreak = index;
  }
  return { fieldStarts, lineBreak, openQuote };
}

/** The row separator Ruby's CSV detects: the file's first line break, `\r\n` counted as one. */
function rubyRowSeparator(text: string): string {
  const index = text.search(/[\r\n]/);
  if (index < 0) return '\n';
  return text.startsWith('\r\n', index) ? '\r\n' : text[index];
}

function describeLineBreak(separator: string): string {
  return separator === '\r\n' ? 'CRLF' : separator === '\r' ? 'CR' : 'LF';
}

/** 1-based line and column of `offset` in `text`, counting CRLF, LF and CR each as one line break. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    const char = text[index];
    if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
