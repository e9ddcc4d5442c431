import type { Element, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Node, Parent } from 'unist';
import { EXIT, SKIP, visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { walk, type WalkResult } from '../../src/markdown/walk.ts';

const HTML = `<h2 id="a">Title <em>x</em></h2><p>One <a href="/x">link</a> and <iframe src="y"></iframe> more.</p>
<ul><li>a<ul><li>b <iframe src="z"></iframe></li></ul></li><li>c</li></ul><div><p>deep <strong>bold <a href="q">q</a></strong></p></div>`;

/** Runs a visitor with unist-util-visit and with walk, each over its own copy of the tree: what each saw, and the trees after. */
function both(visitor: (node: Element, index: number | undefined, parent: Parent | undefined, seen: string[]) => WalkResult) {
  const run = (how: 'visit' | 'walk') => {
    const tree = fromHtml(HTML, { fragment: true });
    const seen: string[] = [];
    const each = (node: Element, index: number | undefined, parent: Parent | undefined) => {
      seen.push(`${node.tagName}@${index}`);
      return visitor(node, index, parent, seen);
    };
    if (how === 'visit') visit(tree, 'element', each as never);
    else walk<Element>(tree, 'element', each);
    return { seen, tree };
  };
  return { visit: run('visit'), walk: run('walk') };
}

describe('walk', () => {
  it('visits the same nodes, with the same indexes, in the same order as unist-util-visit', () => {
    const { visit: expected, walk: actual } = both(() => undefined);
    expect(actual.seen).toEqual(expected.seen);
    expect(actual.seen.length).toBeGreaterThan(10);
  });

  it('skips children on SKIP and stops on EXIT, as unist-util-visit does', () => {
    const skipped = both((node) => (node.tagName === 'ul' || node.tagName === 'strong' ? SKIP : undefined));
    expect(skipped.walk.seen).toEqual(skipped.visit.seen);
    expect(skipped.walk.seen).not.toContain('li@0');
    const stopped = both((node) => (node.tagName === 'iframe' ? EXIT : undefined));
    expect(stopped.walk.seen).toEqual(stopped.visit.seen);
    expect(stopped.walk.seen.at(-1)).toMatch(/^iframe/);
  });

  it('goes on where the visitor says after it replaces or removes nodes, and leaves the same tree', () => {
    // Replaces each iframe by two links and goes on after them (rehype-embeds' shape), removes every em.
    const edited = both((node, index, parent) => {
      if (!parent || index === undefined) return undefined;
      if (node.tagName === 'iframe') {
        const links: ElementContent[] = [0, 1].map((n) => ({ type: 'element', tagName: 'a', properties: { href: `#${n}` }, children: [] }));
        parent.children.splice(index, 1, ...(links as Node[]));
        return [SKIP, index + links.length];
      }
      if (node.tagName === 'em') {
        parent.children.splice(index, 1);
        return index;
      }
      return undefined;
    });
    expect(edited.walk.seen).toEqual(edited.visit.seen);
    expect(edited.walk.tree).toEqual(edited.visit.tree);
    expect(JSON.stringify(edited.walk.tree)).not.toContain('iframe');
  });
});
