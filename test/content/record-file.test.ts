import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRecordFile, writeRecordFile } from '../../src/content/record-file.ts';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'record-file-'));
});
afterEach(() => rm(work, { recursive: true, force: true }));

const key = randomBytes(32);
const records = [Buffer.from('first record'), Buffer.alloc(0), randomBytes(70_000)];

describe('the record file of a resumed start (untrusted input)', () => {
  it('gives back each record by its place, checked', async () => {
    const file = path.join(work, 'records.bin');
    const { generation, places } = await writeRecordFile(file, key, records);
    const opened = await openRecordFile(file, key, generation);
    expect(places.map((place) => Buffer.from(opened!.read(place)))).toEqual(records);
    await opened!.close();
  });

  it('refuses a record whose bytes changed, a place outside the file, and another place\'s bytes', async () => {
    const file = path.join(work, 'records.bin');
    const { generation, places } = await writeRecordFile(file, key, records);
    const bytes = await readFile(file);
    bytes[places[0][0] + 32 + 1] ^= 0x01;
    await writeFile(file, bytes);
    const opened = (await openRecordFile(file, key, generation))!;
    expect(() => opened.read(places[0])).toThrow(/check/);
    expect(Buffer.from(opened.read(places[2]))).toEqual(records[2]);
    expect(() => opened.read([places[2][0], 2 ** 40])).toThrow(/outside/);
    expect(() => opened.read([0, 4])).toThrow(/outside/);
    expect(() => opened.read([places[2][0], places[0][1]])).toThrow(/check/);
    await opened.close();
  });

  it('opens nothing of another generation, another key, another format, or through a symlink', async () => {
    const file = path.join(work, 'records.bin');
    const { generation, places } = await writeRecordFile(file, key, records);
    expect(await openRecordFile(file, key, '00'.repeat(16))).toBeNull();
    const otherKey = (await openRecordFile(file, randomBytes(32), generation))!;
    expect(() => otherKey.read(places[0])).toThrow(/check/);
    await otherKey.close();
    const link = path.join(work, 'link.bin');
    await symlink(file, link);
    expect(await openRecordFile(link, key, generation)).toBeNull();
    await writeFile(file, 'not a record file at all');
    expect(await openRecordFile(file, key, generation)).toBeNull();
    expect(await openRecordFile(path.join(work, 'missing.bin'), key, generation)).toBeNull();
  });
});
