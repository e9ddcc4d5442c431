import { describe, expect, it } from 'vitest';
import { permalinkKey, permalinkKeyOf } from '../../src/model/permalink.ts';

describe('permalinkKey', () => {
  it('gives the key Jekyll-style paths share: no trailing slash, no .html, no index', () => {
    expect(permalinkKey('/about/')).toBe('/about');
    expect(permalinkKey('/about.html')).toBe('/about');
    expect(permalinkKey('/about/index.html')).toBe('/about');
    expect(permalinkKey('/docs//guide/')).toBe('/docs/guide');
    expect(permalinkKey('/caf%C3%A9/')).toBe('/café');
    expect(permalinkKey('/index.html')).toBe('/');
    expect(permalinkKey('/')).toBe('/');
  });

  it('keys plain paths (letters, digits, - and _) as the full rules do', () => {
    const plain = ['/page-5/', '/page-5', '/a/b_c/D-9/', '/Index/', '/index', '/INDEX', '/a/index/', '/x', '/_/-/'];
    expect(plain.map(permalinkKey)).toEqual(['/page-5', '/page-5', '/a/b_c/D-9', '/', '/', '/', '/a/index', '/x', '/_/-']);
    // A query sends the same path through every rule: the key must not change.
    for (const path of plain) expect(permalinkKeyOf(`${path}?q=1`), path).toBe(permalinkKeyOf(path));
  });
});
