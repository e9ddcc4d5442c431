import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { fixture } from '../helpers/app.ts';

describe('rendered HTML of a hostile page', async () => {
  const snapshot = await loadContent(fixture('hostile'));
  const html = snapshot.published.bySlug.get('xss')!.page.html;

  it('keeps no script, event handler, javascript:/data: URL, unsafe style, iframe from a host not allowed, or form', () => {
    expect(html).not.toMatch(/<script|<style|<iframe|<form|<svg/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript:|data:/i);
    expect(html).not.toMatch(/style=/i);
    expect(html).not.toContain('display: none');
    expect(html).not.toContain('alert(');
  });

  it('keeps the safe HTML real pages carry', () => {
    expect(html).toContain('<div class="notice--info"><span class="badge">kept span</span></div>');
    expect(html).toContain('<img src="/images/logo.png" alt="the logo" width="120">');
    expect(html).toContain('<details><summary>More</summary>Hidden detail text.</details>');
    expect(html).toMatch(/<table>[\s\S]*<td>Ada<\/td>/);
  });
});

describe('rendered HTML, safe to inject with innerHTML (no DOM clobbering)', async () => {
  const snapshot = await loadContent(fixture('hostile'));
  const html = snapshot.published.bySlug.get('clobber')!.page.html;

  it('keeps heading ids bare, so frontends can link to #section', () => {
    expect(html).toContain('<h2 id="getelementbyid">');
  });

  it('prefixes every other id with user-content-, and same-page links follow it', () => {
    expect(html).toContain('<a id="user-content-getElementById"></a>');
    expect(html).toContain('<div id="user-content-location">');
    expect(html).toContain('href="#user-content-location"');
    expect(html).toContain('href="#getelementbyid"');
    expect(html).not.toMatch(/\sid="(?!user-content-|getelementbyid")/);
  });

  it('drops every name attribute', () => {
    expect(html).not.toMatch(/\sname=/);
    expect(html).toContain('<a>named</a>');
  });
});

describe('rendered HTML of the seed page', async () => {
  const snapshot = await loadContent(fixture('../../content'));
  const page = snapshot.published.bySlug.get('index')!.page;

  it('gives headings GitHub-style ids so in-page links work', () => {
    expect(page.html).toContain('<h3 id="community-meetings">Community meetings</h3>');
    expect(page.html).toContain('href="#community-meetings"');
  });

  it('rewrites relative links to the target page permalink', () => {
    expect(page.html).toContain('<a href="/python-packages.html">list of Python packages</a>');
    expect(page.html).toContain('<a href="/contributors.html">contributors page</a>');
  });
});
