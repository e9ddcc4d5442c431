import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/content/front-matter.ts';
import { compactOutline, outlineOf } from '../../src/content/rendered-page.ts';
import { createMarkdownRenderer } from '../../src/markdown/render.ts';
import { outlinePage } from '../../src/markdown/sections.ts';
import { markdownFiles, pyopensciCorpus } from '../helpers/app.ts';

const render = createMarkdownRenderer({ resolveLink: () => ({ kind: 'external' }) });

describe("a render's section tree", () => {
  it('is kept as a string and the texts, and read back whole, texts in their places, for every page of the corpus', async () => {
    for (const file of await markdownFiles(pyopensciCorpus)) {
      const { body } = splitFrontMatter(await readFile(file, 'utf8'));
      const { sections } = outlinePage((await render({ body, bodyLine: 1, page: { file, permalink: '/' } })).tree);
      const compact = compactOutline(sections);
      expect(outlineOf(compact), file).toEqual(sections);
    }
  });
});
