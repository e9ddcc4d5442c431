import type { Element, Root } from 'hast';
import parseInlineStyle from 'inline-style-parser';
import type { VFile } from 'vfile';
import { reportRemoval } from './html-removed.ts';
import { walk } from './walk.ts';

/** CSS properties a page may set inline: sizes, alignment, spacing, borders, colors and type. */
const SAFE_PROPERTY = new RegExp(
  '^(?:(?:min-|max-)?(?:width|height)|aspect-ratio|object-fit|object-position|text-align|vertical-align|float|clear|display|' +
    '(?:margin|padding)(?:-(?:top|right|bottom|left|inline|block)(?:-(?:start|end))?)?|gap|row-gap|column-gap|' +
    'border(?:-(?:top|right|bottom|left))?(?:-(?:width|style|color))?|border-radius|' +
    'color|background-color|opacity|font-size|font-weight|font-style|font-family|line-height|letter-spacing|' +
    'text-decoration(?:-line|-color|-style)?|text-transform|white-space|list-style-type|' +
    'justify-content|align-items|align-self|flex(?:-(?:direction|wrap|grow|shrink|basis))?|overflow(?:-[xy])?)$',
);
/** Values: words, numbers, units, colors, functions such as rgb(); no url(), expression(), escapes, comments or markup. */
const SAFE_VALUE = /^[\w\s#%.,+\-/()'"!]*$/;
/** `position` only in the flow of the page: `absolute`, `fixed` and `sticky` can lay content over the page around it. */
const SAFE_POSITION = /^(?:static|relative)$/i;
const UNSAFE_VALUE = /url\s*\(|expression\s*\(|image-set|element\s*\(|javascript:|@import|behavior|binding/i;

/**
 * Cuts every `style` attribute to its safe subset: declarations of listed properties (sizes,
 * alignment, spacing, colors, overflow, `position: relative`…) with plain values are kept;
 * anything else (`position: fixed` or `absolute`,
 * `url()`, `expression()`, `behavior`, a declaration that does not parse) is removed and reported
 * (`html-removed`), once per declaration per line. A style with nothing left is removed.
 */
export function rehypeStyleSubset() {
  return (tree: Root, file: VFile) => {
    walk(tree, 'element', (node: Element) => {
      const style = node.properties.style;
      if (typeof style !== 'string') return;
      const kept: string[] = [];
      const report = (declaration: string, why: string) =>
        reportRemoval(file, node, {
          code: 'html-removed',
          what: `style ${JSON.stringify(declaration.slice(0, 80))} on <${node.tagName}>`,
          why,
          hint: "Inline styles may set sizes, alignment, spacing, borders, colors and type; style the class in the site's CSS for anything else.",
        });
      let declarations: ReturnType<typeof parseInlineStyle>;
      try {
        declarations = parseInlineStyle(style);
      } catch {
        report(style, 'it is not valid CSS');
        delete node.properties.style;
        return;
      }
      for (const declaration of declarations) {
        if (declaration.type !== 'declaration') continue;
        const property = declaration.property.toLowerCase();
        const value = declaration.value.trim();
        const written = `${property}: ${value}`;
        if (property === 'position') {
          if (SAFE_POSITION.test(value)) kept.push(written);
          else report(written, `position: ${value} can lay the content over the page around it`);
        } else if (!SAFE_PROPERTY.test(property))
          report(written, `${property} is not among the inline styles kept (it can cover or restyle the page around the content)`);
        else if (UNSAFE_VALUE.test(value) || !SAFE_VALUE.test(value))
          report(written, 'its value can load or run something (url(), expression()…) or is not a plain value');
        else kept.push(written);
      }
      if (kept.length > 0) node.properties.style = kept.join('; ');
      else delete node.properties.style;
    });
  };
}
