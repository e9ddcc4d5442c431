import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentLimits } from '../../src/content/limits.ts';
import { bundledContent } from '../helpers/app.ts';
import { freePort } from '../helpers/net.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'hostile-preview-token-0123456789';
/** Text that must never leave the service: drafts in disguise, files from outside, unsafe links. */
const SECRETS = /HXDRAFT-93|HXOUTSIDE-77|HXXSS|HXPROTO/;

const page = (frontMatter: string, body: string) => `---\n${frontMatter}\n---\n\n${body}\n`;

/**
 * The project's own table of hostile files: each is written into a copy of the bundled site
 * (a Jekyll site here, so Liquid and includes are in play), with the problem code the service
 * must report for it. None may stop the service, cost another page, or leak.
 */
function hostileFiles(outside: string): { file: string; write: (dir: string) => Promise<void>; code: string }[] {
  const text = (file: string, content: string | Buffer) => async (dir: string) => {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  };
  return [
    { file: 'deep-list.md', code: 'too-deep', write: text('deep-list.md', page('title: Deep list', `${'* '.repeat(3000)}deep`)) },
    { file: 'deep-ordered.md', code: 'too-deep', write: text('deep-ordered.md', page('title: Deep ordered', `${'1. '.repeat(3000)}deep`)) },
    { file: 'deep-quote.md', code: 'too-deep', write: text('deep-quote.md', page('title: Deep quote', `${'> '.repeat(3000)}deep`)) },
    { file: 'deep-div.md', code: 'too-deep', write: text('deep-div.md', page('title: Deep div', `${'<div>'.repeat(2000)}deep`)) },
    { file: 'deep-links.md', code: 'too-deep', write: text('deep-links.md', page('title: Deep links', `${'['.repeat(3000)}x`)) },
    {
      file: 'loop.md',
      code: 'liquid-limit',
      write: text('loop.md', page('title: Loop', '{% for i in (1..100000000) %}{% endfor %}loop done')),
    },
    {
      file: 'nested-loops.md',
      code: 'liquid-limit',
      write: text(
        'nested-loops.md',
        page(
          'title: Loops',
          '{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}',
        ),
      ),
    },
    {
      file: 'include-bomb.md',
      code: 'liquid-limit',
      write: text('include-bomb.md', page('title: Include bomb', '{% include hx-bomb.html %}')),
    },
    {
      file: 'unclosed.md',
      code: 'front-matter-unclosed',
      write: text('unclosed.md', '---\ntitle: Unclosed HXDRAFT-93\npublished: false\npermalink: /hx-unclosed/\n\nHXDRAFT-93 body.\n'),
    },
    {
      file: 'twice.md',
      code: 'duplicate-visibility-key',
      write: text(
        'twice.md',
        page('title: Twice HXDRAFT-93\npublished: false\npermalink: /hx-twice/\npublished: true', 'HXDRAFT-93 body.'),
      ),
    },
    {
      file: 'proto.md',
      code: 'unsafe-key',
      write: text(
        'proto.md',
        page('title: Proto\n__proto__:\n  polluted: HXPROTO\nconstructor: HXPROTO\nheader:\n  prototype: HXPROTO', 'Proto body.'),
      ),
    },
    {
      file: 'actions.md',
      code: 'unsafe-url',
      write: text(
        'actions.md',
        page(
          'title: Actions\nheader:\n  actions:\n    - label: Safe\n      url: /hx-good/\n    - label: Mixed\n      url: "JaVaScRiPt:alert(\'HXXSS1\')"\n    - label: Control\n      url: "\\u0001javascript:alert(\'HXXSS2\')"\n    - label: Data\n      url: "data:text/html,HXXSS3"\n    - label: Entity\n      url: "&#106;avascript:alert(\'HXXSS4\')"\n    - label: Vb\n      url: " vbscript:HXXSS5"',
          '[bad](javascript:alert("HXXSS6")) and <a href="jav&#x09;ascript:HXXSS7">tab</a>.',
        ),
      ),
    },
    {
      file: 'huge.md',
      code: 'file-too-large',
      write: text('huge.md', page('title: Huge', 'word '.repeat(contentLimits.maxFileBytes / 4))),
    },
    { file: 'binary.md', code: 'not-utf8-text', write: text('binary.md', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x00, 0x01])) },
    {
      file: 'yaml-bomb.md',
      code: 'yaml-aliases',
      write: text(
        'yaml-bomb.md',
        page(
          `title: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\n${Array.from(
            { length: 9 },
            (_, i) =>
              `l${i}: &l${i} [${Array(9)
                .fill(i === 0 ? '*a' : `*l${i - 1}`)
                .join(', ')}]`,
          ).join('\n')}`,
          'Bomb.',
        ),
      ),
    },
    {
      file: '_data/huge.yml',
      code: 'file-too-large',
      write: text('_data/huge.yml', `items:\n${'  - x\n'.repeat(contentLimits.maxDataFileBytes / 4)}`),
    },
    {
      file: '_data/hx-wide.csv',
      code: 'csv-limit',
      // A wide header over blank lines: each blank line would be a map of 2,000 keys.
      write: text(
        '_data/hx-wide.csv',
        `${Array.from({ length: 2000 }, (_, i) => `h${i}`).join(',')}\n${'\n'.repeat(contentLimits.maxCsvRows)}`,
      ),
    },
    { file: '_data/hx-quote.csv', code: 'csv-syntax', write: text('_data/hx-quote.csv', `name\n"${'x'.repeat(500_000)}\n`) },
    { file: 'link.md', code: 'symlink-outside', write: (dir) => symlink(path.join(outside, 'secret.md'), path.join(dir, 'link.md')) },
    {
      file: '_includes/hx-passwd.html',
      code: 'symlink-outside',
      write: (dir) => symlink(path.join(outside, 'secret.md'), path.join(dir, '_includes/hx-passwd.html')),
    },
    {
      file: 'include-link.md',
      code: 'include-missing',
      write: text('include-link.md', page('title: Include link', 'Before {% include hx-passwd.html %} after.')),
    },
    { file: 'pipe.md', code: 'not-a-regular-file', write: async (dir) => void execFileSync('mkfifo', [path.join(dir, 'pipe.md')]) },
  ];
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('hostile content', () => {
  let work: string;
  let dir: string;
  let outside: string;
  let child: ChildProcess;
  let base: string;
  let log = '';
  const health: number[] = [];
  let sampling = true;
  let sampler: Promise<void>;

  const get = (url: string, preview = false) =>
    fetch(base + url, {
      headers: { accept: 'application/json', ...(preview ? { authorization: `Bearer ${TOKEN}` } : {}) },
      signal: AbortSignal.timeout(10_000),
    });
  const diagnostics = async () =>
    ((await (await get('/v1/diagnostics', true)).json()) as { diagnostics: { file: string; code: string }[] }).diagnostics;
  const publicSurfaces = async () => {
    const urls = [
      '/v1/pages?limit=100',
      '/v1/navigation',
      '/v1/search?q=HXDRAFT',
      '/v1/search?q=HXOUTSIDE',
      '/v1/faq',
      '/sitemap.xml',
      '/v1/site',
      '/v1/resolve?path=/hx-unclosed/',
      '/v1/resolve?path=/hx-twice/',
      '/v1/pages/hx-unclosed',
      '/v1/pages/hx-twice',
      '/v1/pages/link',
      '/v1/pages/live-link',
      '/v1/pages/proto',
      '/v1/pages/actions',
      '/v1/pages/actions?format=html',
      '/v1/pages/include-link',
      '/v1/pages/include-link?format=html',
      '/v1/diagnostics',
      '/health',
    ];
    return Promise.all(
      urls
        .map(async (url) => ({ url, response: await get(url) }))
        .map(async (pending) => {
          const { url, response } = await pending;
          return { url, status: response.status, text: await response.text() };
        }),
    );
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hostile-'));
    dir = path.join(work, 'site');
    outside = path.join(work, 'outside');
    await cp(bundledContent, dir, { recursive: true });
    await mkdir(outside);
    await writeFile(
      path.join(outside, 'secret.md'),
      page('title: Outside HXOUTSIDE-77\npermalink: /hx-outside/', 'HXOUTSIDE-77 must never be served.'),
    );
    await writeFile(path.join(dir, '_config.yml'), 'title: Hostile site\napi_token: HXXSS-token\n');
    await mkdir(path.join(dir, '_includes'));
    await writeFile(path.join(dir, '_includes/hx-bomb.html'), '{% include hx-bomb.html %}'.repeat(6));
    await writeFile(path.join(dir, 'good.md'), page('title: Good\npermalink: /hx-good/', 'Good body HXGOOD-41. {{ site.api_token }}'));
    for (const hostile of hostileFiles(outside)) await hostile.write(dir);

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        CONTENT_DIR: dir,
        WATCH: '1',
        PREVIEW_TOKEN: TOKEN,
        LOG_LEVEL: 'info',
        RENDER_CACHE_DIR: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (log += chunk));
    // /health is sampled from the moment the server listens to the end of the tests.
    expect(await until(async () => (await fetch(`${base}/health`).catch(() => null))?.status === 200, 30_000)).toBe(true);
    sampler = (async () => {
      while (sampling) {
        const started = performance.now();
        const response = await fetch(`${base}/health`).catch(() => null);
        health.push(response?.status === 200 ? performance.now() - started : Number.POSITIVE_INFINITY);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    expect(await until(async () => (await get('/ready')).status === 200, 60_000)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    sampling = false;
    await sampler;
    child?.kill('SIGTERM');
    if (child && child.exitCode === null) await once(child, 'exit');
    await rm(work, { recursive: true, force: true });
  });

  it('starts, serves every good page, and reports each hostile file with its code', async () => {
    for (const slug of ['index', 'peer-review', 'resources', 'good']) expect((await get(`/v1/pages/${slug}`)).status).toBe(200);
    expect(await (await get('/v1/pages/good')).text()).toContain('HXGOOD-41');
    const found = await diagnostics();
    for (const hostile of hostileFiles(outside)) {
      expect(
        found.filter((d) => d.file === hostile.file).map((d) => d.code),
        hostile.file,
      ).toContain(hostile.code);
    }
  });

  it('leaks no draft in disguise, no file from outside, no unsafe link and no secret setting', async () => {
    for (const { url, status, text } of await publicSurfaces()) {
      expect(status, url).toBeLessThan(500);
      expect(text, url).not.toMatch(SECRETS);
    }
    const proto = (await (await get('/v1/pages/proto')).json()) as { front_matter: Record<string, unknown> };
    expect(Object.keys(proto.front_matter)).not.toContain('constructor');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps all of it true when the hostile files arrive by live reload, and a heavy valid page still loads', async () => {
    await symlink(path.join(outside, 'secret.md'), path.join(dir, 'live-link.md'));
    await writeFile(path.join(dir, 'live-deep.md'), page('title: Live deep', `${'> '.repeat(3000)}deep`));
    await writeFile(path.join(dir, 'live-loop.md'), page('title: Live loop', '{% for i in (1..100000000) %}{% endfor %}'));
    await writeFile(path.join(dir, 'live-unclosed.md'), '---\ntitle: HXDRAFT-93\npublished: false\n\nHXDRAFT-93\n');
    const sections = Array.from(
      { length: 1500 },
      (_, i) => `## Heading ${i}\n\nParagraph ${i} with *emphasis*, \`code\` and a [link](/hx-good/).\n`,
    );
    await writeFile(path.join(dir, 'live-heavy.md'), page('title: Heavy\npermalink: /hx-heavy/', sections.join('\n')));
    const heavyLoaded = await until(async () => (await get('/v1/pages/live-heavy')).status === 200, 30_000);
    expect(heavyLoaded, `the heavy page never loaded; the server's last log lines:\n${log.slice(-4000)}`).toBe(true);
    const expected = {
      'live-link.md': 'symlink-outside',
      'live-deep.md': 'too-deep',
      'live-loop.md': 'liquid-limit',
      'live-unclosed.md': 'front-matter-unclosed',
    };
    expect(
      await until(async () => {
        const found = await diagnostics();
        return Object.entries(expected).every(([file, code]) => found.some((d) => d.file === file && d.code === code));
      }, 30_000),
    ).toBe(true);
    for (const { url, text } of await publicSurfaces()) expect(text, url).not.toMatch(SECRETS);
  }, 90_000);

  it('answers /health throughout, and no load held the event loop more than 100 ms', () => {
    expect(health.length).toBeGreaterThan(10);
    expect(health.filter((ms) => ms === Number.POSITIVE_INFINITY)).toEqual([]);
    const loads = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'content loaded');
    expect(loads.length).toBeGreaterThan(1);
    for (const load of loads) expect(load.loopDelayMaxMs).toBeLessThanOrEqual(100);
  });
});
