import { describe, expect, it } from 'vitest';
import { contentLimits } from '../../src/content/limits.ts';
import { DEFAULT_CSV_READING, parseJekyllCsv, type CsvReading } from '../../src/jekyll/data-csv.ts';

// Each expected value is what Jekyll 4.4's DataReader#read_data_file gives for the same bytes
// (Ruby 3.1, csv 3.2.2: CSV.read(path, headers: true, encoding: "utf-8").map(&:to_hash)), nil
// written null and a nil key "".

const csv = (text: string | Buffer, reading: CsvReading = DEFAULT_CSV_READING) =>
  parseJekyllCsv(typeof text === 'string' ? Buffer.from(text) : text, '_data/x.csv', ',', reading);
const tsv = (text: string, reading: CsvReading = DEFAULT_CSV_READING) => parseJekyllCsv(Buffer.from(text), '_data/x.tsv', '\t', reading);
const problems = (result: ReturnType<typeof csv>) =>
  result.diagnostics.map(({ code, severity, line, column }) => ({ code, severity, line, column }));

describe('parseJekyllCsv', () => {
  it("reads each row as a map from header to text, as Jekyll's own sample.csv and sample.tsv", () => {
    const rows = [
      { id: '1', field_a: 'foo' },
      { id: '2', field_a: 'bar' },
    ];
    expect(csv('id,field_a\n1,foo\n2,bar\n')).toStrictEqual({ value: rows, diagnostics: [] });
    expect(tsv('id\tfield_a\n1\tfoo\n2\tbar\n')).toStrictEqual({ value: rows, diagnostics: [] });
  });

  it('reads each row as a list, the header line included, with headers: false', () => {
    expect(csv('id,field_a\n1,foo\n,""\n', { headers: false, stripBom: false }).value).toStrictEqual([
      ['id', 'field_a'],
      ['1', 'foo'],
      [null, ''],
    ]);
    expect(csv('a\n\n1\n', { headers: false, stripBom: false }).value).toStrictEqual([['a'], [], ['1']]);
  });

  it('gives null for an empty field and "" for a quoted empty one; pads a short row and a blank line with null', () => {
    expect(csv('a,b,c\n,"",x\n1\n\n').value).toStrictEqual([
      { a: null, b: '', c: 'x' },
      { a: '1', b: null, c: null },
      { a: null, b: null, c: null },
    ]);
  });

  it('keeps quoted separators, doubled quotes, line breaks and spaces as written', () => {
    expect(csv('name,"say ""hi"""\n"Lovelace, Ada"," two\nlines "\n').value).toStrictEqual([
      { name: 'Lovelace, Ada', 'say "hi"': ' two\nlines ' },
    ]);
    expect(tsv('name\tnote\n"a\tb"\t"x"\n').value).toStrictEqual([{ name: 'a\tb', note: 'x' }]);
  });

  it('reads CRLF, CR and a missing last line break; a file with only a header, or nothing, is []', () => {
    expect(csv('a,b\r\n1,2\r\n').value).toStrictEqual([{ a: '1', b: '2' }]);
    expect(csv('a,b\r1,2\r').value).toStrictEqual([{ a: '1', b: '2' }]);
    expect(csv('a,b\n1,2').value).toStrictEqual([{ a: '1', b: '2' }]);
    expect(csv('a,b\n')).toStrictEqual({ value: [], diagnostics: [] });
    expect(csv('')).toStrictEqual({ value: [], diagnostics: [] });
  });

  it("keeps a repeated header's first column, as Ruby's to_hash does, with a csv-header warning at the repeat", () => {
    const result = csv('a,b,a\n1,2,3\n');
    expect(result.value).toStrictEqual([{ a: '1', b: '2' }]);
    expect(problems(result)).toEqual([{ code: 'csv-header', severity: 'warning', line: 1, column: 5 }]);
    expect(result.diagnostics[0].message).toBe(
      `_data/x.csv: column 3's header "a" is column 1's too: each row's "a" holds column 1's value, as in Jekyll, and column 3's values are in site.data neither there nor here`,
    );
  });

  it('keys the first field without a header "" (nil in Jekyll), and warns at the empty header and at the first long row', () => {
    const result = csv('a,,b\n1,2,3,4,5\n6,7,8\n9,9,9,9\n');
    expect(result.value).toStrictEqual([
      { a: '1', '': '2', b: '3' },
      { a: '6', '': '7', b: '8' },
      { a: '9', '': '9', b: '9' },
    ]);
    expect(problems(result)).toEqual([
      { code: 'csv-header', severity: 'warning', line: 1, column: 3 },
      { code: 'csv-header', severity: 'warning', line: 2, column: 7 },
    ]);
    expect(result.diagnostics[1].message).toContain('this row has 5 fields and the header 3 (and 1 more row)');
  });

  it("keeps a byte-order mark in the first header, as Jekyll's utf-8 reading does, and warns; encoding bom|utf-8 drops it", () => {
    const withBom = '\uFEFFid,name\n1,Ada\n';
    const kept = csv(withBom);
    expect(kept.value).toStrictEqual([{ '\uFEFFid': '1', name: 'Ada' }]);
    expect(problems(kept)).toEqual([{ code: 'csv-header', severity: 'warning', line: 1, column: 1 }]);
    expect(kept.diagnostics[0].hint).toContain("encoding: 'bom|utf-8'");
    expect(csv(withBom, { headers: true, stripBom: true })).toStrictEqual({ value: [{ id: '1', name: 'Ada' }], diagnostics: [] });
  });

  it('never keeps a __proto__, constructor or prototype column (unsafe-key warning at the header)', () => {
    const result = csv('name,__proto__,constructor\nAda,polluted,x\n');
    expect(result.value).toStrictEqual([{ name: 'Ada' }]);
    expect(Object.getPrototypeOf((result.value as object[])[0])).toBe(Object.prototype);
    expect(problems(result)).toEqual([
      { code: 'unsafe-key', severity: 'warning', line: 1, column: 6 },
      { code: 'unsafe-key', severity: 'warning', line: 1, column: 16 },
    ]);
  });

  describe('malformed text, which Ruby refuses (CSV::MalformedCSVError fails the build): a csv-syntax error at the fault, no rows', () => {
    it.each([
      ['a quote never closed, at its opening quote', 'a,b\n1,"2\n3,4\n', 2, 3, 'has a quoted field that is never closed'],
      ['a quote inside an unquoted field', 'a,b\n1,x"y\n', 2, 4, 'has a quote inside a field that does not start with one'],
      ['a space before a quote', 'a,b\n "x",2\n', 2, 2, 'has a quote inside a field that does not start with one'],
      ['text after a closing quote', 'a,b\n1,"x" \n', 2, 6, 'has text after the closing quote of a field'],
      ['an LF row in a CRLF file', 'a,b\r\n1,2\r\n3,4\n5,6\r\n', 3, 4, 'has a line break outside quotes that is not CRLF'],
      ['a CRLF row in an LF file', 'a,b\n1,2\r\n', 2, 4, 'has a line break outside quotes that is not LF'],
      ["a file whose first line break is quoted and not the rows'", '"a\nb",c\r\n1,2\r\n', 2, 5, 'is not LF'],
    ])('%s', (_name, text, line, column, message) => {
      const result = csv(text);
      expect(result.value).toBeUndefined();
      expect(problems(result)).toEqual([{ code: 'csv-syntax', severity: 'error', line, column }]);
      expect(result.diagnostics[0].message).toContain(message);
      expect(result.diagnostics[0].message).toContain("Jekyll's build fails on it, and the file is left out of site.data");
    });

    it('refuses bytes that are not UTF-8, at the first of them (not-utf8-text, the code for them in any file)', () => {
      const result = csv(Buffer.concat([Buffer.from('a,b\nc,'), Buffer.from([0xff]), Buffer.from('\n')]));
      expect(result.value).toBeUndefined();
      expect(problems(result)).toEqual([{ code: 'not-utf8-text', severity: 'error', line: 2, column: 3 }]);
      expect(result.diagnostics[0].message).toContain('byte 0xff at line 2, column 3');
    });

    it('applies the same quoting rules to TSV, whose only difference is the separator', () => {
      expect(problems(tsv('a\tb\n1\tx"y\n'))).toEqual([{ code: 'csv-syntax', severity: 'error', line: 2, column: 4 }]);
    });
  });

  describe('caps, so that one hostile file cannot hold the loader', () => {
    it('leaves out a file of more rows than maxCsvRows (csv-limit error at the first row past it)', () => {
      const result = csv(`n\n${'1\n'.repeat(contentLimits.maxCsvRows)}`);
      expect(result.value).toBeUndefined();
      expect(problems(result)).toEqual([{ code: 'csv-limit', severity: 'error', line: contentLimits.maxCsvRows + 1, column: 1 }]);
    });

    it('counts a short row at the width of its header: a wide header over blank lines passes maxCsvCells', () => {
      const width = 2000;
      const rows = Math.ceil(contentLimits.maxCsvCells / width) + 10;
      const result = csv(`${Array.from({ length: width }, (_, i) => `h${i}`).join(',')}\n${'x\n'.repeat(rows)}`);
      expect(result.value).toBeUndefined();
      expect(result.diagnostics.map(({ code }) => code)).toEqual(['csv-limit']);
      expect(result.diagnostics[0].message).toContain('cells');
    });

    it('leaves out a file of more rows of another width than its first line than maxCsvRaggedRows', () => {
      const result = csv(`a,b\n${'\n'.repeat(contentLimits.maxCsvRaggedRows + 1)}`);
      expect(result.value).toBeUndefined();
      expect(result.diagnostics.map(({ code }) => code)).toEqual(['csv-limit']);
      expect(result.diagnostics[0].message).toContain('differs from the first line');
    });

    it('reads a file just within every cap', () => {
      const result = csv(`a,b\n${'1,2\n'.repeat(contentLimits.maxCsvRows - 1)}`);
      expect(result.diagnostics).toEqual([]);
      expect(result.value).toHaveLength(contentLimits.maxCsvRows - 1);
    });
  });
});
