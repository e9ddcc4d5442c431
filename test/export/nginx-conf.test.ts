import { describe, expect, it } from 'vitest';
import { exactMapEntries } from '../../src/export/nginx-conf.ts';

describe('exactMapEntries (etags.map, resolve.map)', () => {
  it('writes each value after its key, so nginx.conf can check that the key matched exactly and not only ignoring case', () => {
    expect(exactMapEntries([['/v1/pages/index.json', '"abc"']])).toBe('"/v1/pages/index.json" "/v1/pages/index.json \\"abc\\"";\n');
  });

  it('writes keys that differ only in case as case-sensitive regexes, which nginx accepts side by side', () => {
    const lines = exactMapEntries([
      ['any|path=/Case/', '/v1/resolve/Case/index.json'],
      ['any|path=/case/', '/v1/resolve/case/index.json'],
      ['any|path=/other/', '/v1/resolve/other/index.json'],
    ]).split('\n');
    expect(lines).toEqual([
      '"~^any\\|path=/Case/$" "any|path=/Case/ /v1/resolve/Case/index.json";',
      '"~^any\\|path=/case/$" "any|path=/case/ /v1/resolve/case/index.json";',
      '"any|path=/other/" "any|path=/other/ /v1/resolve/other/index.json";',
      '',
    ]);
  });

  it('writes a key given twice with the same value once, and refuses one that would name two values', () => {
    expect(
      exactMapEntries([
        ['/a.json', '"x"'],
        ['/a.json', '"x"'],
      ]),
    ).toBe('"/a.json" "/a.json \\"x\\"";\n');
    expect(() =>
      exactMapEntries([
        ['/a.json', '"x"'],
        ['/a.json', '"y"'],
      ]),
    ).toThrow('map key /a.json would name both "x" and "y"');
  });

  it('refuses a key nginx.conf could not hold as it is (white space, quote, $)', () => {
    for (const key of ['/a b', '/a"b', '/a$b']) expect(() => exactMapEntries([[key, '/f']])).toThrow('not safe in nginx.conf');
  });
});
