import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { relaxJekyllYaml } from '../../src/jekyll/relax-yaml.ts';

const corpus = fileURLToPath(new URL('../fixtures/pyopensci-site', import.meta.url));

/** Parses as the caller does after relaxing: duplicate keys allowed, last wins. */
function parse(source: string) {
  const document = parseDocument(source, { uniqueKeys: false, prettyErrors: true });
  return { errors: document.errors.map((error) => error.code), value: document.errors.length ? undefined : document.toJS() };
}

/** Every `.md` file under `dir`, relative to it, sorted. */
async function markdownFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names.filter((name) => name.endsWith('.md')).sort();
}

/** The text between the first `---` line and the next one. */
function frontMatterOf(text: string): string {
  const lines = text.split('\n');
  const end = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
  return lines.slice(1, end).join('\n');
}

describe('relaxJekyllYaml', () => {
  it('leaves YAML that already parses untouched', () => {
    const source = [
      'title: "One line"',
      'excerpt: "two',
      '  lines"',
      'body: |',
      '  "an unclosed quote inside a block scalar',
      'plain: words that',
      '  go on',
      'list: [a, "b"]',
      "title: duplicate keys are the caller's business",
    ].join('\n');
    expect(relaxJekyllYaml(source)).toEqual({ source, fixes: [] });
  });

  it('indents under-indented lines of a quoted string so it parses to the value Jekyll reads', () => {
    const source = [
      'peer_review:',
      '  - title: "How it works"',
      '    excerpt: "Software review is a process.',
      '',
      '    * Diverse teams lead each review."',
      '    url: /review/',
    ].join('\n');
    expect(parse(source).errors).not.toEqual([]);

    const relaxed = relaxJekyllYaml(source);
    expect(relaxed.source.split('\n')).toHaveLength(6);
    expect(parse(relaxed.source)).toEqual({
      errors: [],
      value: {
        peer_review: [
          { title: 'How it works', excerpt: 'Software review is a process.\n* Diverse teams lead each review.', url: '/review/' },
        ],
      },
    });
    expect(relaxed.fixes).toEqual([expect.objectContaining({ line: 5, column: 5, code: 'quoted-scalar-under-indented' })]);
  });

  it('reports one fix per string, at its first re-indented line, and changes only those lines', () => {
    const source = ['a: "x', 'y', '', 'z"', 'b: ok', 'c: "p', 'q"'].join('\n');
    const relaxed = relaxJekyllYaml(source);
    expect(relaxed.source).toBe(['a: "x', ' y', '', ' z"', 'b: ok', 'c: "p', ' q"'].join('\n'));
    expect(relaxed.fixes.map((fix) => [fix.line, fix.column])).toEqual([
      [2, 1],
      [7, 1],
    ]);
    expect(parse(relaxed.source).value).toEqual({ a: 'x y\nz', b: 'ok', c: 'p q' });
  });

  it('requires continuation lines of a "- key:" entry to be deeper than the key, not the dash', () => {
    const source = ['intro:', '    - excerpt: "The packages below have', '    been accepted."', 'toc: false'].join('\n');
    const relaxed = relaxJekyllYaml(source);
    expect(relaxed.source.split('\n')[2]).toBe('       been accepted."');
    expect(parse(relaxed.source).value).toEqual({ intro: [{ excerpt: 'The packages below have been accepted.' }], toc: false });
  });

  it('handles single quotes with doubled quotes, escaped double quotes and CRLF line ends', () => {
    const single = relaxJekyllYaml("k: 'it''s\nfine'\r\nn: 1");
    expect(parse(single.source).value).toEqual({ k: "it's fine", n: 1 });

    const escaped = relaxJekyllYaml('k: "say \\"hi\r\nthere\\""\r\nn: 1');
    expect(escaped.source).toBe('k: "say \\"hi\r\n there\\""\r\nn: 1');
    expect(parse(escaped.source).value).toEqual({ k: 'say "hi there"', n: 1 });
  });

  it('indents under-indented lines of a flow collection', () => {
    const relaxed = relaxJekyllYaml('tags: [one,\ntwo]\nn: 1');
    expect(relaxed.fixes.map((fix) => fix.code)).toEqual(['flow-collection-under-indented']);
    expect(parse(relaxed.source).value).toEqual({ tags: ['one', 'two'], n: 1 });
  });

  it('leaves an unclosed quote alone, so the caller still reports the error', () => {
    const source = 'title: "never closed\nnext: 1';
    expect(relaxJekyllYaml(source)).toEqual({ source, fixes: [] });
  });

  it('makes every front matter of the real corpus parse, and only 7 pages need it', async () => {
    const relaxedFiles: string[] = [];
    const failures: string[] = [];
    const files = await markdownFiles(corpus);
    expect(files).toHaveLength(115);
    for (const file of files) {
      const frontMatter = frontMatterOf(await readFile(path.join(corpus, file), 'utf8'));
      const relaxed = relaxJekyllYaml(frontMatter);
      expect(relaxed.source.split('\n').length).toBe(frontMatter.split('\n').length);
      if (relaxed.fixes.length > 0) relaxedFiles.push(file);
      const { errors } = parse(relaxed.source);
      if (errors.length > 0) failures.push(`${file}: ${errors.join(', ')}`);
    }
    expect(failures).toEqual([]);
    expect(relaxedFiles).toEqual([
      '_pages/about-peer-review.md',
      '_pages/home.md',
      '_pages/learn.md',
      '_pages/packaging-resources.md',
      '_pages/partners.md',
      '_pages/python-packages.md',
      '_pages/volunteer.md',
    ]);
  });

  it('leaves 92 published, non-redirect pages in the corpus (115 files less 23 redirect stubs)', async () => {
    const kept: string[] = [];
    for (const file of await markdownFiles(corpus)) {
      const frontMatter = frontMatterOf(await readFile(path.join(corpus, file), 'utf8'));
      const value = parse(relaxJekyllYaml(frontMatter).source).value as Record<string, unknown>;
      if (value.published !== false && value.redirect_to === undefined) kept.push(file);
    }
    expect(kept).toHaveLength(92);
    expect(kept.filter((file) => file.startsWith('_pages/redirects/'))).toEqual([]);
    expect(kept).toContain('404.md');
  });

  it('reads the corpus strings exactly as Jekyll does (blank lines become newlines)', async () => {
    const volunteer = frontMatterOf(await readFile(path.join(corpus, '_pages/volunteer.md'), 'utf8'));
    const value = parse(relaxJekyllYaml(volunteer).source).value as { 'build-skills': { excerpt: string }[] };
    const excerpt = value['build-skills'][0].excerpt;
    expect(excerpt.startsWith('When you volunteer with pyOpenSci')).toBe(true);
    expect(excerpt.split('\n').map((line) => line.slice(0, 22))).toEqual([
      'When you volunteer wit',
      '- **Learn new skills:*',
      '- **Get recognized** o',
    ]);
  });
});
