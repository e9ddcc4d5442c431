import type { Element, Root } from 'hast';
import { sanitize, type Schema } from 'hast-util-sanitize';
import { find, html } from 'property-information';
import { SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { reportRemoval } from './html-removed.ts';
import { walk } from './walk.ts';

/**
 * Says what the sanitizer is about to remove, before it runs: each element is passed alone
 * (with a stand-in child) through the very schema the sanitizer uses, and what does not come
 * back is reported (`html-removed`) at the element's line: the element (with or without its
 * content) or each of its attributes. Elements inside a removed one are not reported again.
 * Placement rules (a `tr` outside a table) are not judged here.
 */
export function rehypeReportRemovedHtml(schema: Schema) {
  const probeSchema: Schema = { ...schema, ancestors: {} };
  const certainlyKept = keptWithoutQuestion(schema);
  return (tree: Root, file: VFile) => {
    walk(tree, 'element', (node: Element) => {
      if (certainlyKept(node)) return;
      const probe = sanitize(
        { type: 'element', tagName: node.tagName, properties: { ...node.properties }, children: [{ type: 'text', value: '.' }] },
        probeSchema,
      );
      const kept =
        probe.type === 'root' ? probe.children.find((child) => child.type === 'element') : probe.type === 'element' ? probe : undefined;
      if (!kept || kept.type !== 'element' || kept.tagName !== node.tagName) {
        // An element the schema unwraps comes back as its content alone (the stand-in text).
        const contentKept = probe.type === 'text' || (probe.type === 'root' && probe.children.some((child) => child.type === 'text'));
        reportRemoval(file, node, {
          code: 'html-removed',
          what: `<${node.tagName}>`,
          why:
            node.children.length === 0
              ? 'the element is not allowed'
              : contentKept
                ? 'the element is not allowed (its content is kept)'
                : 'the element is not allowed, and its content is dropped with it',
          hint:
            node.tagName === 'script' || node.tagName === 'style'
              ? "Pages served by the API carry no scripts or style sheets: put them in the site's frontend."
              : 'Use markdown or an allowed element (see the README, "Raw HTML"), or an include the frontend renders.',
        });
        return contentKept ? undefined : SKIP;
      }
      for (const property of Object.keys(node.properties)) {
        if (property in kept.properties) continue;
        const attribute = find(html, property).attribute;
        reportRemoval(file, node, {
          code: 'html-removed',
          what: `${attribute} on <${node.tagName}>`,
          why: /^on/.test(attribute) ? "event handlers run script in a reader's browser" : 'the attribute is not allowed on this element',
          hint: 'Remove it, or carry the information in a class or an allowed data-include attribute.',
        });
      }
    });
  };
}

/**
 * A quick pass that spares the probe for most elements (a page is mostly `p`, `a`, `h2`…): an
 * allowed element whose every attribute the schema allows whatever its value. Anything else
 * (a value-restricted attribute, an unknown one, an element not listed) goes to the probe.
 */
function keptWithoutQuestion(schema: Schema): (node: Element) => boolean {
  const tags = new Set(schema.tagNames ?? []);
  const anyValue = (tag: string) => (schema.attributes?.[tag] ?? []).filter((entry): entry is string => typeof entry === 'string');
  const everywhere = new Set(anyValue('*'));
  const byTag = new Map<string, Set<string>>();
  const allowedOn = (tag: string) => {
    let allowed = byTag.get(tag);
    if (!allowed) byTag.set(tag, (allowed = new Set([...everywhere, ...anyValue(tag)])));
    return allowed;
  };
  return (node) => {
    if (!tags.has(node.tagName)) return false;
    const allowed = allowedOn(node.tagName);
    for (const property in node.properties) if (!allowed.has(property)) return false;
    return true;
  };
}
