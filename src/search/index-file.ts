import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexState } from './search-index.ts';

/**
 * A search index saved in the render cache folder (RENDER_CACHE_DIR), so that a warm start finds
 * its content version's index instead of building it again (seconds of the main thread at
 * 10,000 pages, during which searches wait or are refused). One file per content folder, holding
 * one index and the key it was saved under: the content version it indexes and the code that
 * indexed it. The folder is untrusted as the warm-start pack is: the file carries an HMAC-SHA256
 * of its bytes under the pack key, and one that fails it, or does not hold together, is ignored.
 *
 * Layout (numbers in the byte order of the machine that wrote them, which reads them): magic, HMAC of everything after it, header length (u32), header JSON,
 * padding to 4 bytes, then u32 arrays (documents' short ids, documents' field lengths, each word's
 * postings length in each field, every posting pair), then the documents' ids and the words, each
 * list UTF-8 and joined by NUL (ids and words never hold one).
 */
const MAGIC = Buffer.from('CAPISX1\n');
const MAC_BYTES = 32;
/** Bytes hashed or copied in one step: about a millisecond. */
const BYTES_PER_STEP = 1024 * 1024;
const SEPARATOR = '\0';

interface Header {
  key: string;
  documentCount: number;
  nextId: number;
  dirtCount: number;
  averageLengths: number[];
  documents: number;
  fields: number;
  words: number;
  slots: number;
  idBytes: number;
  wordBytes: number;
}

/** The file an index of `root` is saved in, in the cache folder `dir`. */
export function indexFileOf(dir: string, root: string): string {
  return path.join(dir, `search-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16)}.bin`);
}

let codeKey: Promise<string> | undefined;

/**
 * The key of the code that indexes (this folder's files and MiniSearch's version; under `npm
 * start`, the bundle's folder: the whole server), computed once: an index saved by other code is
 * never restored.
 */
export function indexCodeKey(): Promise<string> {
  return (codeKey ??= (async () => {
    const folder = path.dirname(fileURLToPath(import.meta.url));
    const hash = createHash('sha256');
    for (const name of (await readdir(folder)).filter((name) => /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')).sort()) {
      const bytes = await readFile(path.join(folder, name));
      hash.update(`${name}\0${bytes.length}\0`).update(bytes);
    }
    const minisearch = createRequire(import.meta.url).resolve('minisearch');
    hash.update(await readFile(path.join(minisearch.slice(0, minisearch.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json')));
    return hash.digest('hex');
  })());
}

/** The file's bytes for `state` saved under `key`, made and authenticated in steps. */
export function* encodeIndex(state: IndexState, key: string, packKey: Buffer): Generator<void, Buffer> {
  const fields = state.documents.reduce((most, document) => Math.max(most, document.lengths.length), state.averageLengths.length);
  const ids = Buffer.from(state.documents.map((document) => document.id).join(SEPARATOR));
  const words = Buffer.from(state.words.map((word) => word.word).join(SEPARATOR));
  const slots = state.words.reduce((sum, word) => sum + word.fields.reduce((total, field) => total + field.pairs.length, 0), 0);
  const header: Header = {
    key,
    documentCount: state.documentCount,
    nextId: state.nextId,
    dirtCount: state.dirtCount,
    averageLengths: state.averageLengths,
    documents: state.documents.length,
    fields,
    words: state.words.length,
    slots,
    idBytes: ids.length,
    wordBytes: words.length,
  };
  const json = Buffer.from(JSON.stringify(header));
  const numbersAt = aligned(MAGIC.length + MAC_BYTES + 4 + json.length);
  const counts = state.documents.length * (1 + fields) + state.words.length * fields + slots;
  const bytes = Buffer.alloc(numbersAt + 4 * counts + ids.length + words.length);
  MAGIC.copy(bytes);
  bytes.writeUInt32LE(json.length, MAGIC.length + MAC_BYTES);
  json.copy(bytes, MAGIC.length + MAC_BYTES + 4);
  const numbers = new Uint32Array(bytes.buffer, bytes.byteOffset + numbersAt, counts);
  let at = 0;
  for (const document of state.documents) numbers[at++] = document.shortId;
  for (const [index, document] of state.documents.entries()) {
    for (let field = 0; field < fields; field++) numbers[at++] = document.lengths[field] ?? 0;
    if (index % 4096 === 4095) yield;
  }
  for (const word of state.words) {
    const byField = new Map(word.fields.map((field) => [field.fieldId, field.pairs.length]));
    for (let field = 0; field < fields; field++) numbers[at++] = byField.get(field) ?? 0;
  }
  yield;
  for (const [index, word] of state.words.entries()) {
    for (let field = 0; field < fields; field++) {
      const pairs = word.fields.find((candidate) => candidate.fieldId === field)?.pairs;
      if (!pairs) continue;
      numbers.set(pairs, at);
      at += pairs.length;
    }
    if (index % 512 === 511) yield;
  }
  ids.copy(bytes, numbersAt + 4 * counts);
  words.copy(bytes, numbersAt + 4 * counts + ids.length);
  const mac = yield* macOf(packKey, bytes.subarray(MAGIC.length + MAC_BYTES));
  mac.copy(bytes, MAGIC.length);
  return bytes;
}

/**
 * The key and state a file's bytes hold, checked in steps; null when they are not what
 * {@link encodeIndex} wrote under this pack key, or do not hold together.
 */
export function* decodeIndex(bytes: Buffer, packKey: Buffer): Generator<void, { key: string; state: IndexState } | null> {
  const start = MAGIC.length + MAC_BYTES;
  if (bytes.length < start + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const mac = yield* macOf(packKey, bytes.subarray(start));
  if (!timingSafeEqual(mac, bytes.subarray(MAGIC.length, start))) return null;
  const jsonBytes = bytes.readUInt32LE(start);
  if (start + 4 + jsonBytes > bytes.length) return null;
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', start + 4, start + 4 + jsonBytes)) as Header;
  } catch {
    return null;
  }
  const counts = ['documentCount', 'nextId', 'dirtCount', 'documents', 'fields', 'words', 'slots', 'idBytes', 'wordBytes'] as const;
  if (typeof header.key !== 'string' || !counts.every((name) => Number.isSafeInteger(header[name]) && header[name] >= 0)) return null;
  if (!Array.isArray(header.averageLengths) || !header.averageLengths.every((length) => typeof length === 'number')) return null;
  const { documents, fields, words, slots } = header;
  const numbersAt = aligned(start + 4 + jsonBytes);
  const total = documents * (1 + fields) + words * fields + slots;
  if (numbersAt + 4 * total + header.idBytes + header.wordBytes !== bytes.length || slots % 2 !== 0) return null;
  // A view where the bytes are 4-byte aligned in memory (a file read into a buffer of its own), a copy otherwise.
  const numbers =
    (bytes.byteOffset + numbersAt) % 4 === 0
      ? new Uint32Array(bytes.buffer, bytes.byteOffset + numbersAt, total)
      : new Uint32Array(bytes.buffer.slice(bytes.byteOffset + numbersAt, bytes.byteOffset + numbersAt + 4 * total));
  const textAt = numbersAt + 4 * total;
  const ids = yield* splitInSteps(bytes, textAt, textAt + header.idBytes, documents);
  const wordList = yield* splitInSteps(bytes, textAt + header.idBytes, bytes.length, words);
  if (!ids || !wordList) return null;
  const lengthsAt = documents;
  const state: IndexState = {
    documentCount: header.documentCount,
    nextId: header.nextId,
    dirtCount: header.dirtCount,
    averageLengths: header.averageLengths,
    documents: [],
    words: [],
  };
  for (const [index, id] of ids.entries()) {
    // An array of just its lengths (one grown by push keeps room for more, for each document).
    const from = lengthsAt + index * fields;
    const lengths = Array.from(numbers.subarray(from, from + fields));
    state.documents.push({ shortId: numbers[index], id, lengths });
    if (index % 4096 === 4095) yield;
  }
  const pairCountsAt = documents * (1 + fields);
  let pairsAt = pairCountsAt + words * fields;
  for (const [index, word] of wordList.entries()) {
    const wordFields: IndexState['words'][number]['fields'] = [];
    for (let field = 0; field < fields; field++) {
      const length = numbers[pairCountsAt + index * fields + field];
      if (length === 0) continue;
      if (length % 2 !== 0 || pairsAt + length > total) return null;
      wordFields.push({ fieldId: field, pairs: numbers.subarray(pairsAt, pairsAt + length) });
      pairsAt += length;
    }
    state.words.push({ word, fields: wordFields });
    if (index % 512 === 511) yield;
  }
  return pairsAt === total ? { key: header.key, state } : null;
}

/** Writes the file (a temporary file renamed into place: never half a file under its name); false if it could not be. */
export async function writeIndexFile(file: string, bytes: Buffer): Promise<boolean> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes, { mode: 0o600, flag: 'w' });
    await rename(temporary, file);
    return true;
  } catch {
    await rm(temporary, { force: true }).catch(() => undefined);
    return false;
  }
}

function* macOf(packKey: Buffer, bytes: Buffer): Generator<void, Buffer> {
  const hmac = createHmac('sha256', packKey);
  for (let at = 0; at < bytes.length; at += BYTES_PER_STEP) {
    hmac.update(bytes.subarray(at, at + BYTES_PER_STEP));
    yield;
  }
  return hmac.digest();
}

/** The `count` strings NUL-separated in `bytes` from `start` to `end`, a few thousand per step; null when there are not exactly that many. */
function* splitInSteps(bytes: Buffer, start: number, end: number, count: number): Generator<void, string[] | null> {
  const strings: string[] = [];
  if (count === 0) return start === end ? strings : null;
  let at = start;
  while (strings.length < count) {
    const cut = bytes.indexOf(0, at);
    const stop = cut === -1 || cut >= end ? end : cut;
    strings.push(bytes.toString('utf8', at, stop));
    at = stop + 1;
    if (stop === end) break;
    if (strings.length % 4096 === 0) yield;
  }
  return strings.length === count && at === end + 1 ? strings : null;
}

function aligned(offset: number): number {
  return Math.ceil(offset / 4) * 4;
}
