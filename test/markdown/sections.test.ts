import { readFile } from 'node:fs/promises';
import { serialize } from 'node:v8';
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

  it('keeps the page HTML one byte per character when every character fits (half the memory for every page kept)', async () => {
    const { tree } = await render({
      body: '## About\n\nPlain text, caf\u00e9 and all.\n',
      bodyLine: 1,
      page: { file: 'a.md', permalink: '/' },
    });
    // A text V8 stores two bytes per character though each fits in one (sliced from a wider string).
    const wide = 'Wide\u0100'.slice(0, 4);
    tree.children.push({ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: `${wide} text` }] });
    const { html } = outlinePage(tree);
    expect(html).toBe(toHtml(tree));
    // V8's serializer writes a string as stored: one byte a character, or two.
    expect(serialize(html).length).toBeLessThan(html.length * 1.2 + 16);
    const { html: withWide } = outlinePage({ type: 'root', children: [{ type: 'text', value: 'Kept wide: \u0100' }] });
    expect(withWide).toBe('Kept wide: \u0100');
  });
});
