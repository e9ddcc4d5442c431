import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../schemas/diagnostic.ts';
import { checkSnapshot, diagnoseContent, memoizeDiagnostics, readContentFolder, SupersededVersion } from '../../../src/content/checks/check-snapshot.ts';
import { createContentLoader, loadContent } from '../../../src/content/load.ts';
import { bundledContent, fixture, pyopensciCorpus } from '../../helpers/app.ts';

const checked = new Map<string, Promise<Diagnostic[]>>();

/** Runs every check over a folder, as the CLI and /v1/diagnostics do (once per folder: the checks are pure). */
function checksOf(dir: string): Promise<Diagnostic[]> {
  if (!checked.has(dir)) {
    checked.set(dir, loadContent(dir).then(async (snapshot) => checkSnapshot(snapshot, await readContentFolder(snapshot, dir))));
  }
  return checked.get(dir)!;
}

const at = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.code}`;
const plain = fixture('content-checks/site');
const jekyll = fixture('content-checks-jekyll/site');

describe('checkSnapshot', () => {
  it('finds every problem of the fixture, with its message and hint (UPDATE=1 rewrites expected.json)', async () => {
    for (const name of ['content-checks', 'content-checks-jekyll']) {
      const found = await checksOf(fixture(`${name}/site`));
      const expectedFile = new URL(`../../fixtures/${name}/expected.json`, import.meta.url);
      if (process.env.UPDATE) await writeFile(expectedFile, `${JSON.stringify(found, null, 2)}\n`);
      expect(found, name).toEqual(JSON.parse(await readFile(expectedFile, 'utf8')));
    }
  });

  it('gives the same answer for the same snapshot and folder', async () => {
    const snapshot = await loadContent(plain);
    const folder = await readContentFolder(snapshot, plain);
    expect(checkSnapshot(snapshot, folder)).toEqual(checkSnapshot(snapshot, folder));
  });

  it('finds nothing in the bundled content', async () => {
    expect(await checksOf(bundledContent)).toEqual([]);
  });
});

describe('missing-anchor', () => {
  it('warns about #fragments missing on the same page or on the linked page, suggesting the nearest id', async () => {
    const anchors = (await checksOf(plain)).filter((d) => d.code === 'missing-anchor');
    expect(anchors.map(at)).toEqual(['draft.md:7:20 missing-anchor', 'guide.md:8:50 missing-anchor', 'guide.md:17:52 missing-anchor']);
    expect(anchors[1]).toMatchObject({ severity: 'warning', message: 'link to #set-up points at no heading or id on this page' });
    expect(anchors[1].hint).toMatch(/^Did you mean #setup\?/);
    expect(anchors[2].message).toBe('link to /other/#outro points at no heading or id on /other/');
  });

  it('accepts #top, existing ids, .md links, and leaves links to missing pages to broken-link', async () => {
    const anchors = (await checksOf(plain)).filter((d) => d.code === 'missing-anchor').map((d) => d.message).join('\n');
    expect(anchors).not.toMatch(/#top|#setup |other\.md#intro|\/nowhere\//);
  });

  it('follows live edits of the linked page, while the linking page is unchanged', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'checks-'));
    try {
      await cp(plain, dir, { recursive: true });
      const loader = createContentLoader(dir);
      const anchorsNow = async () => {
        const snapshot = await loader.load();
        return checkSnapshot(snapshot, await readContentFolder(snapshot, dir)).filter((d) => d.code === 'missing-anchor').map(at);
      };
      const other = path.join(dir, 'other.md');
      const before = await readFile(other, 'utf8');
      expect(await anchorsNow()).toContain('guide.md:17:52 missing-anchor');
      // guide.md keeps its record from one load to the next; the page it links into does not.
      await writeFile(other, `${before}\n## Outro\n`);
      expect(await anchorsNow()).toEqual(['draft.md:7:20 missing-anchor', 'guide.md:8:50 missing-anchor']);
      await writeFile(other, before);
      expect(await anchorsNow()).toEqual(['draft.md:7:20 missing-anchor', 'guide.md:8:50 missing-anchor', 'guide.md:17:52 missing-anchor']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resolves links written with the site baseurl', async () => {
    const anchors = (await checksOf(jekyll)).filter((d) => d.code === 'missing-anchor');
    expect(anchors.map((d) => d.message)).toEqual(['link to /docs/about/#founders points at no heading or id on /about/']);
  });
});

describe('missing-asset and asset-folder-missing', () => {
  it('warns about images and linked files that are not in the content folder, and ignores remote URLs', async () => {
    const assets = (await checksOf(plain)).filter((d) => d.code === 'missing-asset');
    expect(assets.map((d) => d.message)).toEqual([
      'image /images/nope.png is not in the content folder (looked for images/nope.png)',
      'image diagram.png is not in the content folder (looked for guide/diagram.png)',
    ]);
    expect(assets.map(at)).toEqual(['guide.md:20:31 missing-asset', 'guide.md:22:1 missing-asset']);
  });

  it('reports a missing top folder once, not once per file', async () => {
    const folders = (await checksOf(plain)).filter((d) => d.code === 'asset-folder-missing');
    expect(folders).toHaveLength(1);
    expect(folders[0].message).toBe('2 references in 1 page point into /photos/ (first: /photos/one.jpg), but the content folder has no photos/ folder');
  });

  it('in a Jekyll site: expands {{ site.baseurl }} and relative_url, resolves relative paths from the page URL, and knows _folders are not published', async () => {
    const assets = (await checksOf(jekyll)).filter((d) => d.code === 'missing-asset');
    expect(assets.map((d) => `${at(d)} ${d.message}`)).toEqual([
      '_pages/about.md:10:50 missing-asset image images/logo.png is not in the content folder (looked for about/images/logo.png)',
      'index.md:7:1 missing-asset image /docs/images/missing.png is not in the content folder (looked for images/missing.png)',
      'index.md:8:1 missing-asset image /_private/secret.png is in the content folder (_private/secret.png) but is not published',
    ]);
  });

  it('does not check a folder that holds pages only (its assets are published from elsewhere)', async () => {
    // The bundled content links /images/packages.png and has no file but pages.
    expect((await checksOf(bundledContent)).filter((d) => d.code.includes('asset'))).toEqual([]);
  });
});

describe('duplicate-heading-id and empty-heading', () => {
  it('warns at the second heading with the same text, naming the first and the suffixed id', async () => {
    const [duplicate] = (await checksOf(plain)).filter((d) => d.code === 'duplicate-heading-id');
    expect(at(duplicate)).toBe('guide.md:11:1 duplicate-heading-id');
    expect(duplicate.message).toBe('heading "Setup" has the same text as the heading at line 6, so its id is setup-1; links to #setup reach the first one');
  });

  it('warns about a heading with no text', async () => {
    expect((await checksOf(plain)).filter((d) => d.code === 'empty-heading').map(at)).toEqual(['guide.md:15:1 empty-heading']);
  });
});

describe('faq-without-answer and faq-without-questions', () => {
  it('warns about a question with nothing under it, not about an answered one', async () => {
    const unanswered = (await checksOf(plain)).filter((d) => d.code === 'faq-without-answer');
    expect(unanswered.map((d) => `${at(d)} ${d.message}`)).toEqual([
      'faq.md:8:1 faq-without-answer FAQ question "Is there an answer here?" has no answer: it is served with an empty one',
    ]);
  });

  it('warns about a FAQ heading with no question headings under it', async () => {
    const empty = (await checksOf(plain)).filter((d) => d.code === 'faq-without-questions');
    expect(empty.map(at)).toEqual(['bold-faq.md:6:1 faq-without-questions']);
    expect(empty[0].hint).toContain('### Question?');
  });
});

describe('empty-title', () => {
  it('warns at the title key when front matter sets an empty title', async () => {
    const [title] = (await checksOf(plain)).filter((d) => d.code === 'empty-title');
    expect(title).toMatchObject({ file: 'untitled.md', line: 2, column: 1, field: 'title', message: 'title is empty, so the page is served with an empty title' });
  });
});

describe('the checks on the pyOpenSci site', () => {
  it('report a handful of warnings, not one per image of a folder the corpus does not have', async () => {
    const found = await checksOf(pyopensciCorpus);
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    const counts = Object.fromEntries([...new Set(found.map((d) => d.code))].map((code) => [code, found.filter((d) => d.code === code).length]));
    // 8 links to a #link placeholder in the theme's demo post, one email address without mailto:,
    // and one warning for the 223 references into /images/ (its two FAQs written in bold are read).
    expect(counts).toEqual({ 'missing-anchor': 8, 'missing-asset': 1, 'asset-folder-missing': 1 });
    expect(found.find((d) => d.code === 'asset-folder-missing')!.message).toMatch(/^223 references in 49 pages point into \/images\//);
  });
});

describe('diagnoseContent', () => {
  it('lists the loader\'s problems and the checks\' together, by file and line', async () => {
    const snapshot = await loadContent(plain);
    const all = await diagnoseContent(snapshot, plain);
    expect(all.map(at)).toContain('guide.md:18:1 broken-link');
    expect(all.map(at)).toEqual([...all].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column).map(at));
  });

  it("looks at the folder's files a few hundred per turn of the event loop, finding what checkSnapshot finds", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'checks-'));
    try {
      await cp(plain, dir, { recursive: true });
      const turnsOf = async (snapshot: Awaited<ReturnType<typeof loadContent>>) => {
        let turns = 0;
        const found = await diagnoseContent(snapshot, dir, { nextTurn: () => new Promise((resolve) => setImmediate(() => resolve(void (turns += 1)))) });
        return { turns, found };
      };
      const before = await turnsOf(await loadContent(dir));
      await mkdir(path.join(dir, 'files'));
      for (let i = 0; i < 1200; i++) await writeFile(path.join(dir, 'files', `file-${i}.txt`), '');
      const snapshot = await loadContent(dir);
      const after = await turnsOf(snapshot);
      // 1,200 more files (and no more pages): more turns, not a longer one.
      expect(after.turns - before.turns).toBeGreaterThanOrEqual(2);
      const whole = [...snapshot.diagnostics, ...checkSnapshot(snapshot, await readContentFolder(snapshot, dir))];
      expect(after.found.map(at).sort()).toEqual(whole.map(at).sort());
      expect(after.found.map(at)).toContain('guide.md:20:31 missing-asset');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops checking a version once a newer one is served, and checks the newer one in full', async () => {
    const [older, newer] = [await loadContent(plain), await loadContent(plain)];
    let served = older;
    const diagnose = memoizeDiagnostics(plain, () => new Promise((resolve) => setImmediate(resolve)), (snapshot) => snapshot === served);
    const stale = diagnose(older);
    served = newer;
    await expect(stale).rejects.toBeInstanceOf(SupersededVersion);
    expect(await diagnose(newer)).toEqual(await diagnoseContent(newer, plain));
  });

  it('reads and parses no page again: what the checks need comes with the loaded records', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'checks-'));
    try {
      await cp(plain, dir, { recursive: true });
      const snapshot = await loadContent(dir);
      const before = await diagnoseContent(snapshot, dir);
      // The page changed on disk after it was loaded: its snapshot is still checked as it was loaded.
      await writeFile(path.join(dir, 'guide.md'), '---\ntitle: ""\n---\n\n[x](#nowhere)\n');
      expect(await diagnoseContent(snapshot, dir)).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
