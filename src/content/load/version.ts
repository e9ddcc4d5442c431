import { hashAll } from './hash.ts';

/** Parts hashed together into one bucket: a live edit rehashes one bucket, not 20,000 parts. */
const PARTS_PER_BUCKET = 256;

/**
 * A content version as a hash of many parts (one per page and the site's rules), kept in
 * buckets of consecutive parts: the digest is the hash of the buckets' hashes, so replacing a
 * few parts (a live edit) rehashes their buckets and the short list of bucket hashes only.
 */
export interface VersionHash {
  readonly parts: readonly string[];
  readonly buckets: readonly string[];
  /** The version as served (16 hex digits). */
  readonly digest: string;
}

/** The version of these parts. */
export function versionOf(parts: readonly string[]): VersionHash {
  const buckets: string[] = [];
  for (let start = 0; start < parts.length; start += PARTS_PER_BUCKET) buckets.push(hashAll(parts.slice(start, start + PARTS_PER_BUCKET)));
  return { parts, buckets, digest: hashAll(buckets).slice(0, 16) };
}

/** The version of `previous`'s parts with some replaced (by position): what {@link versionOf} would give, rehashing only their buckets. */
export function withPartsReplaced(previous: VersionHash, replaced: ReadonlyMap<number, string>): VersionHash {
  if (replaced.size === 0) return previous;
  const parts = previous.parts.slice();
  const buckets = previous.buckets.slice();
  const touched = new Set<number>();
  for (const [at, part] of replaced) {
    parts[at] = part;
    touched.add(Math.floor(at / PARTS_PER_BUCKET));
  }
  for (const bucket of touched) buckets[bucket] = hashAll(parts.slice(bucket * PARTS_PER_BUCKET, (bucket + 1) * PARTS_PER_BUCKET));
  return { parts, buckets, digest: hashAll(buckets).slice(0, 16) };
}
