import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/content/front-matter.ts';
import { contentLimits } from '../../src/content/limits.ts';
import { findExcessiveNesting } from '../../src/markdown/structure-depth.ts';
import { bundledContent, fixture, markdownFiles } from '../helpers/app.ts';

describe('findExcessiveNesting', () => {
  it.each(['* ', '- ', '+ ', '1. ', '2) '])('finds 3,000 nested list items written on one line with %j', (marker) => {
    expect(findExcessiveNesting(`${marker.repeat(3000)}deep`)).toEqual({
      line: 1,
      column: 100 * marker.length + 1,
      structure: 'list',
      depth: 101,
    });
  });

  it('finds list items nested by indentation, one level per line', () => {
    const body = Array.from({ length: 150 }, (_, level) => `${'  '.repeat(level)}- item`).join('\n');
    expect(findExcessiveNesting(`intro\n\n${body}`)).toEqual({ line: 103, column: 201, structure: 'list', depth: 101 });
  });

  it.each(['> ', '>'])('finds 3,000 nested block quotes written with %j', (marker) => {
    expect(findExcessiveNesting(`${marker.repeat(3000)}deep`)).toEqual({
      line: 1,
      column: 100 * marker.length + 1,
      structure: 'blockquote',
      depth: 101,
    });
  });

  it('finds 2,000 nested HTML elements, across lines and on one line', () => {
    expect(findExcessiveNesting('<div class="a">\n'.repeat(2000))).toEqual({ line: 101, column: 1, structure: 'html', depth: 101 });
    expect(findExcessiveNesting('<section><div>'.repeat(1000))).toEqual({ line: 1, column: 50 * 14 + 1, structure: 'html', depth: 101 });
  });

  it('does not count void elements, self-closing tags, closed elements, comments or implied end tags', () => {
    const body = [
      '<br><hr><img src="a.png" alt="x > y"><input type="checkbox"><x-icon name="a" />'.repeat(200),
      '<div>\n<p>text</p>\n</div>\n'.repeat(500),
      '<!-- <div> <div>\n<div> -->\n'.repeat(200),
      '<ul><li>one<li>two<li>three</ul>\n'.repeat(200),
      '<p>an unclosed paragraph\n\n'.repeat(200),
      '<script>if (a < b) { "<div>" }</script>\n'.repeat(200),
    ].join('\n');
    expect(findExcessiveNesting(body)).toBeNull();
  });

  it('finds deeply nested emphasis and long delimiter runs inside text', () => {
    const nested = Array.from({ length: 200 }, (_, level) => `${'*'.repeat((level % 3) + 1)}a`).join(' ');
    expect(findExcessiveNesting(nested)).toMatchObject({ line: 1, structure: 'emphasis' });
    expect(findExcessiveNesting(`text ${'*'.repeat(250)}x`)).toEqual({ line: 1, column: 6, structure: 'emphasis', depth: 250 });
    expect(findExcessiveNesting(`text ${'_'.repeat(250)} more`)).toMatchObject({ structure: 'emphasis', depth: 250 });
  });

  it('counts emphasis that opens and closes, snake_case and thematic breaks as no nesting', () => {
    const body = [
      '**When:** Monday *and* __init__ or snake_case_name, 2 * 3 * 4'.repeat(50),
      `${'* '.repeat(150)}`,
      '-'.repeat(300),
      '_ '.repeat(200),
    ].join('\n');
    expect(findExcessiveNesting(body)).toBeNull();
  });

  it('finds 3,000 nested link brackets', () => {
    expect(findExcessiveNesting(`${'['.repeat(3000)}a`)).toEqual({ line: 1, column: 101, structure: 'link', depth: 101 });
  });

  it('does not count anything inside fenced code blocks or code spans', () => {
    const deep = `${'> '.repeat(3000)}\n${'<div>'.repeat(3000)}\n${'['.repeat(3000)}`;
    expect(findExcessiveNesting(`\`\`\`md\n${deep}\n\`\`\`\n\n~~~~\n${deep}\n~~~~\n`)).toBeNull();
    expect(findExcessiveNesting(`- item\n\n  \`\`\`\n${deep}\n  \`\`\`\n`)).toBeNull();
    expect(findExcessiveNesting(`\`${'<div>'.repeat(3000)}\` and \`\`${'['.repeat(3000)}\`\``)).toBeNull();
    expect(findExcessiveNesting(`\`\`\`\n\`\`\`\n${'> '.repeat(3000)}`)).toMatchObject({ line: 3, structure: 'blockquote' });
  });

  it('takes the cap as an argument, and allows exactly the cap', () => {
    expect(findExcessiveNesting(`${'> '.repeat(5)}x`, 5)).toBeNull();
    expect(findExcessiveNesting(`${'> '.repeat(6)}x`, 5)).toEqual({ line: 1, column: 11, structure: 'blockquote', depth: 6 });
    expect(findExcessiveNesting(`${'- '.repeat(contentLimits.maxStructureDepth)}x`)).toBeNull();
  });

  it('finds nothing in the bundled content and the Jekyll site fixture', async () => {
    const files = [...(await markdownFiles(bundledContent)), ...(await markdownFiles(fixture('jekyll-site')))];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const { body } = splitFrontMatter(await readFile(file, 'utf8'));
      expect(findExcessiveNesting(body, contentLimits.maxStructureDepth), file).toBeNull();
      // Real pages nest a few levels: far from the cap.
      expect(findExcessiveNesting(body, 10), file).toBeNull();
    }
  });
});
