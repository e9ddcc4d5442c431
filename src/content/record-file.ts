import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeCacheFileAside } from './cache-file.ts';

/** The first bytes of a record file: the format, then the file's generation (random, named by the table that points into it). */
const MAGIC = Buffer.from('CAPIRI1\n');
const GENERATION_BYTES = 16;
const HEADER_BYTES = MAGIC.length + GENERATION_BYTES;
const MAC_BYTES = 32;
/** The largest record read back (a record is a page's entry and render: at most a few megabytes). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Where a record is in its file: its offset (at its MAC) and its length (without it). */
export type RecordPlace = readonly [offset: number, length: number];

/**
 * A file of byte strings each read alone, by its place, with one synchronous read of its own
 * length: what a resumed start's records decode their inputs from when first used (see
 * resume.ts), so the start reads none of them. The folder is untrusted, as the warm-start pack's
 * is: each record carries an HMAC-SHA256 (over the file's name, its generation, the record's
 * place and its bytes) under the pack key, checked before its bytes are returned; the file is
 * opened once, not following a symlink, and a record outside it is refused unread.
 */
export interface RecordFile {
  /** The bytes at `place`, checked; throws when they cannot be read or fail the check. */
  read(place: RecordPlace): Uint8Array;
  close(): Promise<void>;
}

function recordMac(key: Buffer, base: string, generation: string, place: RecordPlace, bytes: Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${base}\0${generation}\0${place[0]}\0${place[1]}\0`).update(bytes).digest();
}

/**
 * Writes `records` to `file` (aside, then renamed, so a crash never leaves half a file) under a
 * new generation; gives the generation and each record's place, in order.
 */
export async function writeRecordFile(file: string, key: Buffer, records: readonly Uint8Array[]): Promise<{ generation: string; places: RecordPlace[] }> {
  const base = path.basename(file);
  const generationBytes = randomBytes(GENERATION_BYTES);
  const generation = generationBytes.toString('hex');
  const places: RecordPlace[] = [];
  await writeCacheFileAside(file, async (handle) => {
    await handle.write(Buffer.concat([MAGIC, generationBytes]));
    let offset = HEADER_BYTES;
    // Written a few hundred records at a time: one write call each, not one a record.
    let batch: Uint8Array[] = [];
    for (const bytes of records) {
      const place: RecordPlace = [offset, bytes.length];
      places.push(place);
      batch.push(recordMac(key, base, generation, place, bytes), bytes);
      offset += MAC_BYTES + bytes.length;
      if (batch.length >= 512) {
        await handle.writev(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await handle.writev(batch);
  });
  return { generation, places };
}

/** Opens a record file of this generation; null when it is missing, not a regular file, or of another format or generation. */
export async function openRecordFile(file: string, key: Buffer, generation: string): Promise<RecordFile | null> {
  const base = path.basename(file);
  // Non-blocking: a FIFO put where the file belongs opens at once and is refused by the stat below.
  const handle: FileHandle | null = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => null);
  if (!handle) return null;
  try {
    const info = await handle.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    if (!info.isFile() || info.size < HEADER_BYTES || (await handle.read(header, 0, HEADER_BYTES, 0)).bytesRead !== HEADER_BYTES) throw new Error('not a record file');
    if (!header.subarray(0, MAGIC.length).equals(MAGIC) || header.subarray(MAGIC.length).toString('hex') !== generation) throw new Error('another record file');
    const { size } = info;
    // The file is replaced by renaming: the one opened here stays as it is while it is open.
    return {
      read(place) {
        const [offset, length] = place;
        if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < HEADER_BYTES || length < 0 || length > MAX_RECORD_BYTES || offset + MAC_BYTES + length > size) {
          throw new Error('a record outside its file');
        }
        const bytes = Buffer.allocUnsafeSlow(MAC_BYTES + length);
        let filled = 0;
        while (filled < bytes.length) {
          const read = readSync(handle.fd, bytes, filled, bytes.length - filled, offset + filled);
          if (read === 0) throw new Error('a record cut short');
          filled += read;
        }
        const record = bytes.subarray(MAC_BYTES);
        if (!timingSafeEqual(bytes.subarray(0, MAC_BYTES), recordMac(key, base, generation, place, record))) throw new Error('a record that failed its check');
        return record;
      },
      close: () => handle.close().catch(() => undefined),
    };
  } catch {
    await handle.close().catch(() => undefined);
    return null;
  }
}
