import { readFile } from 'node:fs/promises';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { gfmNeedsOf, remarkGfmFor } from '../../src/markdown/remark-gfm-for.ts';
import { bundledContent, markdownFiles, pyopensciCorpus } from '../helpers/app.ts';

const withRemarkGfm = unified().use(remarkParse).use(remarkGfm).freeze();
const treeWith = (markdown: string, needs = gfmNeedsOf(markdown)) => unified().use(remarkParse).use(remarkGfmFor, needs).parse(markdown);

describe('GFM without the constructs a document cannot contain', () => {
  const samples = {
    table: 'Intro\n\n| name | role |\n| --- | --- |\n| Ada | editor |\n',
    email: 'Write to editors@pyopensci.org or mailto:help@example.org.',
    both: '| contact |\n| - |\n| team@example.org |\n',
    neither: 'See www.pyopensci.org and https://github.com/pyOpenSci, ~~old~~, [^1].\n\n[^1]: A note.\n\n- [x] done',
    // Literal links are found in text whatever its case; URLs inside links are no text to search.
    shouting: 'Visit WWW.PYOPENSCI.ORG or HTTPS://GITHUB.COM/PYOPENSCI today.',
    linksOnly: 'Read [the guide](https://www.pyopensci.org/guide) or [write](mailto:team@example.org).',
  };

  it.each(Object.entries(samples))('parses %s exactly as remark-gfm does', (_, markdown) => {
    expect(treeWith(markdown)).toEqual(withRemarkGfm.parse(markdown));
  });

  it('really leaves constructs out: a table parsed without table support is a paragraph', () => {
    const tree = treeWith(samples.table, { tables: false, emails: true });
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'paragraph']);
    expect(withRemarkGfm.parse(samples.table).children.map((node) => node.type)).toEqual(['paragraph', 'table']);
  });

  it('gives the same tree as remark-gfm for every page of the pyOpenSci site and the bundled content', async () => {
    const files = [...(await markdownFiles(pyopensciCorpus)), ...(await markdownFiles(bundledContent))];
    expect(files.length).toBeGreaterThan(90);
    for (const file of files) {
      const markdown = await readFile(file, 'utf8');
      expect(treeWith(markdown), file).toEqual(withRemarkGfm.parse(markdown));
    }
  });
});
