import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

const base = defaultSchema;
type Attributes = NonNullable<SanitizeSchema['attributes']>;

/** The attribute lists without `name` (GitHub's schema admits it on every element). */
function withoutName(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).map(([tag, list]) =>
    [tag, list.filter((attribute) => (Array.isArray(attribute) ? attribute[0] : attribute) !== 'name')]));
}
const classes = ['className'] as const;

/**
 * GitHub's sanitizer rules (no script, no event handlers, no style, no javascript:/data: URLs),
 * widened for the safe HTML real content pages carry: classes on layout elements, ids (bare on
 * headings, so #anchors work; prefixed elsewhere by rehype-safe-ids.ts), and the data
 * attributes of components left for the frontend. `name` is never kept: it clobbers DOM globals
 * (`document.cookie`, `form.submit`) when a fragment is injected, and nothing in content needs it.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...base,
  clobberPrefix: '',
  // Drop these elements with their content, not just their tags: CSS or script text is never page text.
  strip: ['script', 'style', 'template', 'noscript'],
  // Ids are made safe by rehypeSafeIds (headings keep theirs bare); names are not admitted at all.
  clobber: [],
  attributes: {
    ...withoutName(base.attributes ?? {}),
    '*': [...withoutName({ '*': base.attributes?.['*'] ?? [] })['*'], ...classes, 'id'],
    div: [...(base.attributes?.div ?? []), 'dataInclude', 'dataIncludeParams', 'dataIncludeContext'],
    span: [...(base.attributes?.span ?? []), 'dataInclude', 'dataIncludeParams', 'dataIncludeContext'],
    a: [...(base.attributes?.a ?? []), 'title', ['target', '_blank']],
    img: [...(base.attributes?.img ?? []), 'title', 'width', 'height', 'loading'],
    code: [...(base.attributes?.code ?? []), ['className', /^language-./]],
  },
  tagNames: [...(base.tagNames ?? []), 'figure', 'figcaption', 'aside', 'section', 'article', 'mark', 'center', 'abbr', 'cite', 'small', 'u'],
};
