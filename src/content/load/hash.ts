import { hash as digest } from 'node:crypto';

/** sha256 of the parts (see {@link hashAll}). */
export function hash(...parts: string[]): string {
  return hashAll(parts);
}

/**
 * sha256 of the parts, each ended by a NUL, in one call: crypto.hash makes no Hash object, and
 * a load hashes tens of thousands of short inputs (a warm start at 10,000 pages hashes every
 * record's identity).
 */
export function hashAll(parts: string[]): string {
  return digest('sha256', `${parts.join('\0')}\0`, 'hex');
}
