import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import { fileVersion } from '../content/safe-file.ts';

/** A file opened by the safe reader: its handle, and which version of it this is. */
export interface OpenedFile {
  handle: FileHandle;
  /** Device, inode, size and modification time (SafeFileReader.open). */
  version: string;
}

/** Bytes of keys and hashes remembered (about 90 a file: some 10,000 files). */
const REMEMBERED_BYTES = 1024 * 1024;
/** Bytes hashed between two turns of the event loop. */
const HASH_CHUNK_BYTES = 64 * 1024;

export interface FileFingerprints {
  /** The SHA-256 (base64url) of the file's bytes: remembered per version, else hashed once however many requests ask. */
  sha256(file: OpenedFile): Promise<string>;
}

/**
 * Content hashes of the site's files (the assets' ETags, and the source key of image variants),
 * each computed once per version of a file: keyed by device, inode, size and modification time,
 * so an edited, replaced or renamed-over file is hashed again and an unchanged one never is. A
 * file is hashed as a stream from its open handle, 64 KB a turn, so a 50 MB file neither stalls
 * the event loop nor sits in memory; requests asking meanwhile wait for that one hash.
 */
export function createFileFingerprints(): FileFingerprints {
  const known = new LRUCache<string, string>({
    maxSize: REMEMBERED_BYTES,
    sizeCalculation: (hash, version) => hash.length + version.length,
  });
  const hashing = new Map<string, Promise<string>>();
  return {
    sha256(file) {
      const remembered = known.get(file.version);
      if (remembered) return Promise.resolve(remembered);
      let pending = hashing.get(file.version);
      if (!pending) {
        pending = hashStream(file.handle)
          .then(async (hash) => {
            // Remembered only if the file did not change while it was read (an edit in place keeps the inode).
            const after = await file.handle.stat();
            if (fileVersion(after) === file.version) known.set(file.version, hash);
            return hash;
          })
          .finally(() => hashing.delete(file.version));
        hashing.set(file.version, pending);
      }
      return pending;
    },
  };
}

async function hashStream(handle: FileHandle): Promise<string> {
  const hash = createHash('sha256');
  // From byte 0 by position: the handle's own offset is left alone for the body's stream.
  for await (const chunk of handle.createReadStream({ start: 0, autoClose: false, highWaterMark: HASH_CHUNK_BYTES }))
    hash.update(chunk as Buffer);
  return hash.digest('base64url');
}
