import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeUrl } from '../../src/content/url-policy.ts';
import { parseMenus } from '../../src/content/navigation-file.ts';
import { appFor } from '../helpers/app.ts';

/** Link targets no response may carry, however they are disguised. */
const UNSAFE = [
  'javascript:alert(1)', ' javascript:alert(1)', '\u0001javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)',
  'java\nscript:alert(1)', '&#106;avascript:alert(1)', '&#x6A;avascript&colon;alert(1)', 'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)', 'file:///etc/passwd', 'chrome-extension://x/y', 'http://[not-a-host',
];

describe('judgeUrl', () => {
  it('refuses every scheme but http, https, mailto and tel, after the normalization browsers apply', () => {
    for (const url of UNSAFE) expect(judgeUrl(url).safe, JSON.stringify(url)).toBe(false);
    expect(judgeUrl(' &#106;avascript:x')).toEqual({ safe: false, scheme: 'javascript' });
  });

  it('allows web, mail and phone links, and paths, fragments and queries of this site', () => {
    for (const url of ['https://example.org/a', 'HTTP://example.org', 'mailto:a@example.org', 'tel:+15551234', '//example.org/x', '/\\example.org']) {
      expect(judgeUrl(url), url).toEqual({ safe: true, sameSite: false });
    }
    for (const url of ['/resources/', 'guide.md', 'a/b.html', '../up/', '#section', '?page=2', ' /padded/']) {
      expect(judgeUrl(url), url).toEqual({ safe: true, sameSite: true });
    }
  });

  it('removes a refused menu link and reports it at its field, keeping the entry as a title', () => {
    const { menus, problems } = parseMenus({ main: [{ title: 'Bad', url: ' javascript:alert(1)' }, { title: 'Good', url: '/good/' }] }, '_data/navigation.yml');
    expect(menus[0].entries.map(({ title, url }) => ({ title, url }))).toEqual([{ title: 'Bad', url: null }, { title: 'Good', url: '/good/' }]);
    expect(problems).toEqual([expect.objectContaining({ code: 'unsafe-url', severity: 'error', file: '_data/navigation.yml', field: 'main[0].url' })]);
  });
});

const yamlString = (value: string) => JSON.stringify(value);
const ACTIONS_PAGE = [
  '---',
  'title: Actions',
  'permalink: /actions/',
  'header:',
  '  image: "data:image/svg+xml,<svg onload=alert(1)>"',
  '  actions:',
  ...UNSAFE.flatMap((url, index) => [`    - label: "Unsafe ${index}"`, `      url: ${yamlString(url)}`]),
  '    - label: Resources',
  '      url: /resources/',
  '    - label: Elsewhere',
  '      url: "//evil.example/path"',
  '    - label: Backslashed',
  '      url: "/\\\\evil.example/path"',
  '    - label: Mail',
  '      url: "mailto:hello@example.org"',
  'redirect_from:',
  '  - /old-actions/',
  '  - "javascript:alert(1)"',
  '---',
  '',
  '[script](javascript:alert(1)) [entity](&#106;avascript:alert(2)) [phone](tel:+15551234)',
  '',
  '<a href=" &#106;avascript:alert(3)">raw</a> <img src="data:image/png;base64,AAAA" alt="pixel">',
  '',
].join('\n');
const FILES: Record<string, string> = {
  'actions.md': ACTIONS_PAGE,
  'resources.md': '---\ntitle: Resources\npermalink: /resources/\n---\n\nResources.\n',
  'stub.md': '---\npermalink: /stub/\nredirect_to: "vbscript:msgbox(1)"\n---\n',
};

let dir: string;
let app: FastifyInstance;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'url-policy-'));
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(FILES)) await writeFile(path.join(dir, name), text);
  app = await appFor(dir);
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const REFUSED = /javascript|vbscript|data:|file:|chrome-extension|not-a-host|&#/i;

describe('link targets the API emits', () => {
  it('leaves refused header actions out of /v1/navigation and marks only same-site paths internal', async () => {
    const items = (await app.inject('/v1/navigation')).json().items as { label: string; url: string; internal: boolean }[];
    expect(items.map(({ label, url, internal }) => ({ label, url, internal }))).toEqual([
      { label: 'Resources', url: '/resources/', internal: true },
      { label: 'Elsewhere', url: '//evil.example/path', internal: false },
      { label: 'Backslashed', url: '/\\evil.example/path', internal: false },
      { label: 'Mail', url: 'mailto:hello@example.org', internal: false },
    ]);
  });

  it('serves the page without the refused links, in its JSON (front matter, actions, HTML) and its HTML', async () => {
    const json = await app.inject('/v1/pages/actions');
    expect(json.statusCode).toBe(200);
    expect(json.body).not.toMatch(REFUSED);
    const page = json.json();
    expect(page.front_matter.redirect_from).toEqual(['/old-actions/']);
    expect(page.front_matter.header.image).toBeUndefined();
    const html = (await app.inject({ url: '/v1/pages/actions', headers: { accept: 'text/html' } })).body;
    expect(html).not.toMatch(REFUSED);
    expect(html).toContain('<a href="tel:+15551234">phone</a>');
    expect(html).toContain('<a>raw</a>');
  });

  it('serves no redirect to a refused target', async () => {
    expect((await app.inject('/v1/resolve?path=/stub/')).statusCode).toBe(404);
    expect((await app.inject('/v1/resolve?path=/old-actions/')).json()).toMatchObject({ kind: 'redirect', location: '/actions/' });
  });

  it('reports each refused link as an unsafe-url error at its file and line', async () => {
    const diagnostics = (await app.inject('/v1/diagnostics')).json().diagnostics as { file: string; line: number; code: string; severity: string; field: string | null }[];
    const unsafe = diagnostics.filter((d) => d.code === 'unsafe-url');
    expect(unsafe.every((d) => d.severity === 'error')).toBe(true);
    const actionLine = (index: number) => 8 + 2 * index;
    const lineOf = (start: string) => ACTIONS_PAGE.split('\n').findIndex((line) => line.startsWith(start)) + 1;
    expect(unsafe.map(({ file, line, field }) => `${file}:${line} ${field ?? '-'}`)).toEqual([
      'actions.md:5 header.image',
      ...UNSAFE.map((_, index) => `actions.md:${actionLine(index)} header.actions[${index}].url`),
      `actions.md:${lineOf('  - "javascript:')} redirect_from[1]`,
      ...Array(2).fill(`actions.md:${lineOf('[script]')} -`),
      ...Array(2).fill(`actions.md:${lineOf('<a href')} -`),
      'stub.md:3 redirect_to',
    ]);
  });
});
