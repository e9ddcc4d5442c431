/** Builds an element: `h('a', { href: '/' }, 'Home')`. Strings become text, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) if (child != null) element.append(child);
  return element;
}

/** An element holding HTML the service rendered and sanitized (page bodies, snippets, answers). */
export function trustedHtml<K extends keyof HTMLElementTagNameMap>(tag: K, html: string, attributes: Record<string, string> = {}) {
  const element = h(tag, attributes);
  element.innerHTML = html;
  return element;
}
