import type { Component } from '@pyos/content-client';
import { h } from './dom.ts';

/**
 * The site's own rendering of the Jekyll includes a page leaves to the frontend: the service
 * puts a placeholder (`data-include-id`) where each was, and lists it in `page.components`.
 */
type Render = (component: Component) => HTMLElement;

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

const registry: Record<string, Render> = {
  'pyos-blockquote.html': ({ params }) =>
    h(
      'blockquote',
      { class: 'pyos-blockquote' },
      h('p', {}, text(params.quote)),
      params.author ? h('cite', {}, text(params.author)) : null,
    ),
  gist: ({ params }) =>
    h('a', { class: 'gist', href: `https://gist.github.com/${text(params.id)}` }, `Gist ${text(params.id)} ${text(params.file)}`),
};

/** An include the site has no component for: named, so an author sees what is missing. */
const fallback: Render = ({ name }) => h('aside', { class: 'component-missing' }, `Include ${name} has no component in this site.`);

/** Replaces each placeholder in `root` with its component. */
export function renderComponents(root: HTMLElement, components: Component[]): void {
  for (const component of components) {
    const placeholder = root.querySelector(`[data-include-id="${CSS.escape(component.id)}"]`);
    if (!placeholder) continue;
    const element = (registry[component.name] ?? fallback)(component);
    element.dataset.component = component.name;
    placeholder.replaceWith(element);
  }
}
