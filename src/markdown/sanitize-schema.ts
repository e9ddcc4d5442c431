import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

const base = defaultSchema;
const classes = ['className'] as const;
type AttributeList = NonNullable<SanitizeSchema['attributes']>[string];

/**
 * GitHub's per-element attribute lists without their class restrictions (GitHub allows only
 * `contains-task-list` on `ul`, `sr-only` on `h2`…): the class any element carries is kept.
 */
const unrestrictedClasses = (list: AttributeList = []): AttributeList =>
  list.filter((attribute) => !(Array.isArray(attribute) && attribute[0] === 'className'));

const baseAttributes = Object.fromEntries(
  Object.entries(base.attributes ?? {}).map(([tag, list]) => [tag, tag === 'code' ? list : unrestrictedClasses(list)]),
);

/**
 * GitHub's sanitizer rules (no script, no event handlers, no javascript:/data: URLs), widened for
 * the safe HTML real content pages carry: classes on any element, ids on headings (unprefixed, so
 * #anchors work), `aria-hidden` (icon fonts), the data attributes of components left for the frontend, `style` (already cut to
 * its safe subset by rehypeStyleSubset), video with its sources' `type`, and `iframe` (only embeds
 * from allowed hosts reach the sanitizer, see rehypeEmbeds). What it still removes is reported
 * first by rehypeReportRemovedHtml.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...base,
  clobberPrefix: '',
  // Drop these elements with their content, not just their tags: CSS or script text is never page text.
  strip: ['script', 'style', 'template', 'noscript'],
  clobber: ['name'],
  attributes: {
    ...baseAttributes,
    '*': [...(base.attributes?.['*'] ?? []), ...classes, 'id', 'style', 'ariaHidden'],
    div: [...(baseAttributes.div ?? []), 'dataInclude', 'dataIncludeParams', 'dataIncludeContext'],
    span: [...(baseAttributes.span ?? []), 'dataInclude', 'dataIncludeParams', 'dataIncludeContext'],
    a: [...(baseAttributes.a ?? []), 'title', ['target', '_blank']],
    img: [...(baseAttributes.img ?? []), 'title', 'width', 'height', 'loading'],
    code: [...(baseAttributes.code ?? []), ['className', /^language-./]],
    source: [...(baseAttributes.source ?? []), 'type', 'src', 'media', 'sizes', 'width', 'height'],
    video: ['src', 'poster', 'controls', 'width', 'height', 'muted', 'loop', 'playsInline', 'preload'],
    iframe: ['src', 'title', 'width', 'height', 'allow', 'allowFullScreen', 'sandbox', 'loading', 'referrerPolicy', 'frameBorder'],
  },
  // The API's URL policy (src/content/url-policy.ts), which runs first and reports what it removes:
  // GitHub's irc:/xmpp: links are refused there, and tel: links are kept.
  protocols: { ...base.protocols, href: ['http', 'https', 'mailto', 'tel'] },
  tagNames: [
    ...(base.tagNames ?? []),
    'figure', 'figcaption', 'aside', 'section', 'article', 'mark', 'center', 'abbr', 'cite', 'small', 'u', 'video', 'iframe',
  ],
};
