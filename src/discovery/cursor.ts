import type { ListPosition } from './page-order.ts';

/**
 * Cursors of page lists: opaque to clients (base64url), a {@link ListPosition} inside. Any
 * string decodes to some position, so a cursor never expires: after content changes it still
 * means "the pages after this one", wherever that page now is or would be.
 */
export function encodeCursor(position: ListPosition): string {
  const value = position.value === null ? '~' : `=${position.value}`;
  return Buffer.from(`${value}\n${position.slug}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for. */
export function decodeCursor(cursor: string): ListPosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const split = text.lastIndexOf('\n');
  const head = split < 0 ? '' : text.slice(0, split);
  return { value: head.startsWith('=') ? head.slice(1) : null, slug: text.slice(split + 1) };
}
