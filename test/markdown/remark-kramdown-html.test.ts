import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { loadContent } from '../../src/content/load.ts';
import { kramdownToHtml } from '../../src/markdown/kramdown-html.ts';
import { fixture, pyopensciCorpus } from '../helpers/app.ts';

const cases = fixture('kramdown-html');

/** The elements of a tree with this tag name (and class, when given), optionally only those whose parent matches too. */
function elements(tree: Root, tagName: string, className?: string, parent?: (node: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element, _index, above) => {
    if (node.tagName !== tagName) return;
    if (
      className &&
      !String(node.properties.className ?? '')
        .split(/[ ,]+/)
        .includes(className)
    )
      return;
    if (parent && !(above?.type === 'element' && parent(above))) return;
    found.push(node);
  });
  return found;
}
const hasClass = (className: string) => (node: Element) =>
  String(node.properties.className ?? '')
    .split(/[ ,]+/)
    .includes(className);

describe('remarkKramdownHtml', () => {
  it('reads raw HTML blocks as kramdown does, case by case (UPDATE=1 rewrites expected.html)', async () => {
    for (const name of (await readdir(cases)).sort()) {
      const input = await readFile(`${cases}${name}/input.md`, 'utf8');
      const html = String(await kramdownToHtml.process(input));
      if (process.env.UPDATE) await writeFile(`${cases}${name}/expected.html`, html);
      expect(html, name).toBe(await readFile(`${cases}${name}/expected.html`, 'utf8'));
    }
  });
});

describe('html-unclosed', () => {
  it('reports a block whose element is never closed, at its line, and nothing for closed ones', async () => {
    const file = new VFile({ value: 'Intro\n\n<figure>\n  <figure>\n  </figure>\n**literal**\n' });
    await kramdownToHtml.process(file);
    expect(file.messages.map((message) => [message.ruleId, message.line, message.reason])).toEqual([
      [
        'html-unclosed',
        3,
        '<figure> is never closed, so everything after it to the end of its container is raw HTML and its markdown is shown as written',
      ],
    ]);
    const closed = new VFile({ value: '<div>\n<div></div>\n</div>\n<p>x</p>\n<hr>\n<!-- c -->\n' });
    await kramdownToHtml.process(closed);
    expect(closed.messages).toEqual([]);
  });
});

describe('kramdown HTML blocks on the pyOpenSci site', () => {
  let snapshot: Snapshot;
  beforeAll(async () => {
    snapshot = await loadContent(pyopensciCorpus);
  }, 60_000);
  const pageHtml = (permalink: string) => {
    const record = snapshot.published.pages.find((page) => page.summary.permalink === permalink);
    if (!record) throw new Error(`no page at ${permalink}`);
    return fromHtml(record.page.html, { fragment: true });
  };

  it("keeps the partnership cards' feature lists as lists, as Jekyll does (8 lists, 52 items)", () => {
    const page = pageHtml('/learn-universities-labs.html');
    expect(elements(page, 'ul')).toHaveLength(8);
    expect(elements(page, 'li')).toHaveLength(52);
    expect(elements(page, 'ul', 'partnership-card__features')).toHaveLength(7);
    expect(elements(page, 'pre')).toHaveLength(0);
  });

  it('keeps the home page card whose <p> is indented after a blank line as HTML, not code', () => {
    const page = pageHtml('/');
    expect(elements(page, 'pre')).toHaveLength(0);
    expect(elements(page, 'p', undefined, hasClass('archive__item-excerpt')).length).toBeGreaterThan(0);
  });

  it('renders the markdown written right after a closing </figure> (a link), as Jekyll does', () => {
    const record = snapshot.published.pages.find((page) => page.summary.permalink === '/blog/pyos-newsletter-may-2024.html')!;
    expect(record.page.html).toContain(
      'titled: <a href="https://www.eventbrite.com/e/build-your-first-python-package-tickets-879586546037">Build Your First Python Package!</a>',
    );
  });

  it('leaves markdown literal inside a <figure> that is never closed, as kramdown does', () => {
    // The post opens two <figure>s and closes one: kramdown's block runs to the end of the post.
    const record = snapshot.published.pages.find((page) => page.summary.permalink === '/blog/pyos-education-announcement.html')!;
    expect(record.page.html).toContain('[“From Python Code to Module”](');
  });
});
