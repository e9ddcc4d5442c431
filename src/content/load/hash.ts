import { createHash } from 'node:crypto';

/** sha256 of the parts (see {@link hashAll}). */
export function hash(...parts: string[]): string {
  return hashAll(parts);
}

/** sha256 of the parts, each ended by a NUL; one update call (a call per part costs more). */
export function hashAll(parts: string[]): string {
  return createHash('sha256').update(`${parts.join('\0')}\0`).digest('hex');
}
