import { readFile } from 'node:fs/promises';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/content/front-matter.ts';
import { createMarkdownRenderer } from '../../src/markdown/render.ts';
import { outlinePage, sectionsFrom, walkSections } from '../../src/markdown/sections.ts';
import { bundledContent, markdownFiles, pyopensciCorpus } from '../helpers/app.ts';

const render = createMarkdownRenderer({ resolveLink: () => ({ kind: 'external' }) });

describe('a page cut into sections', () => {
  it('serializes the page once, and each section is the HTML between its heading and the next', async () => {
    const files = [...(await markdownFiles(pyopensciCorpus)), ...(await markdownFiles(bundledContent))];
    let sections = 0;
    for (const file of files) {
      const { body } = splitFrontMatter(await readFile(file, 'utf8'));
      const { tree } = await render({ body, bodyLine: 1, page: { file, permalink: '/' } });
      const outline = outlinePage(tree);
      expect(outline.html, file).toBe(toHtml(tree));
      const inOrder = [...walkSections(sectionsFrom(outline.html, outline.sections))];
      const ranges = [...walkSections(outline.sections)];
      inOrder.forEach((section, index) => {
        const [, headingEnd] = ranges[index].heading;
        const next = ranges[index + 1]?.heading[0] ?? outline.html.length;
        expect(section.headingHtml, file).toBe(outline.html.slice(...ranges[index].heading));
        expect(section.headingHtml, file).toMatch(/^<h[1-6][ >][\s\S]*<\/h[1-6]>$/);
        expect(section.html, `${file} #${section.id}`).toBe(outline.html.slice(headingEnd, next).trim());
      });
      sections += inOrder.length;
    }
    expect(sections).toBeGreaterThan(300);
  });
});
