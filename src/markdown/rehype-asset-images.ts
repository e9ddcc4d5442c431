import type { Element, Root } from 'hast';
import type { ResolvedImage } from '../content/links.ts';
import { walk } from './walk.ts';

export interface AssetImagesOptions {
  /** The served image an `src` names, or null to leave the element as it is. */
  resolveImage: (src: string) => ResolvedImage | null;
}

/**
 * Points every `<img>` of the content folder at its served URL (GET /v1/assets/…) and gives it
 * `width` and `height` attributes, so the browser reserves its box before the image arrives
 * (no layout shift). Dimensions the author wrote are kept. Runs after the sanitizer.
 */
export function rehypeAssetImages(options: AssetImagesOptions) {
  return (tree: Root) => {
    walk(tree, 'element', (node: Element) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      const image = options.resolveImage(node.properties.src);
      if (!image) return;
      node.properties.src = image.url;
      if (node.properties.width === undefined && node.properties.height === undefined) {
        node.properties.width = image.width;
        node.properties.height = image.height;
      }
    });
  };
}
