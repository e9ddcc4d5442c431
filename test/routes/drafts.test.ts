import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';
import { appFor, bundledContent } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('drafts (published: false)', () => {
  it('appear in no route, list, FAQ, navigation or count', async () => {
    const urls = [
      '/v1/pages?limit=100',
      '/v1/pages/roadmap-draft',
      '/v1/pages/roadmap-draft/sections',
      '/v1/faq?limit=100',
      '/v1/faq?q=roadmap',
      '/v1/navigation',
      '/v1/resolve?path=/roadmap/',
      '/health',
    ];
    for (const url of urls) {
      const body = (await app.inject(url)).body;
      expect(body, url).not.toMatch(/DRAFT-ROADMAP-7f3a|Roadmap \(draft\)|\/roadmap\/"/);
      // A 404 may echo the slug the client asked for; a list must never name it.
      if (!url.includes('roadmap')) expect(body, url).not.toContain('roadmap-draft');
    }
    expect((await app.inject('/v1/pages/roadmap-draft')).statusCode).toBe(404);
    expect((await app.inject('/v1/pages')).json().total).toBe(6);
    expect((await app.inject('/health')).json().pages).toBe(6);
  });
});

const TOKEN = 'preview-token-for-tests-0123456789';
/** Drafts and possible drafts (front matter that cannot be read), each with a marker no public answer may carry. */
const HIDDEN: Record<string, string> = {
  'invalid-draft.md': '---\npublished: false\ntitle: 123\n---\n\nHIDDEN-INVALID\n',
  'broken-yaml.md': '---\npublished: false\ntitle: [unclosed\n---\n\nHIDDEN-BROKEN\n',
  'unclosed.md': '---\ntitle: Unclosed\npublished: false\n\nHIDDEN-UNCLOSED\n',
  'twice.md': '---\npublished: false\ntitle: Twice\npublished: true\n---\n\nHIDDEN-TWICE\n',
};

describe('drafts and files that may be drafts', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'drafts-'));
    await writeFile(path.join(dir, 'public.md'), '---\ntitle: Public\n---\n\nA public page.\n');
    for (const [name, text] of Object.entries(HIDDEN)) await writeFile(path.join(dir, name), text);
    app = checkedAgainstContract(await buildApp({ contentDir: dir, previewToken: TOKEN }));
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists their problems in /v1/diagnostics only with a preview token, and counts none of them in /health', async () => {
    const anonymous = await app.inject('/v1/diagnostics');
    expect(anonymous.json()).toMatchObject({ pages: 1, errors: 0, warnings: 0, diagnostics: [] });
    expect(anonymous.body).not.toMatch(/invalid-draft|broken-yaml|unclosed|twice|HIDDEN/);
    const preview = (await app.inject({ url: '/v1/diagnostics', headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(preview.diagnostics.map((d: { file: string; code: string }) => `${d.file} ${d.code}`)).toEqual([
      'broken-yaml.md yaml-syntax',
      'invalid-draft.md invalid-type',
      'twice.md duplicate-visibility-key',
      'unclosed.md front-matter-unclosed',
    ]);
    expect((await app.inject('/health')).json()).toMatchObject({ pages: 1, errors: 0, warnings: 0 });
  });

  it('keeps the public version when only a draft changes, and changes it when a public page does', async () => {
    const before = (await app.inject('/health')).json().version;
    const previewBefore = app.content.snapshot.previewVersion;
    await writeFile(
      path.join(dir, 'twice.md'),
      '---\npublished: false\ntitle: Twice, edited\npublished: true\n---\n\nHIDDEN-TWICE edited\n',
    );
    await writeFile(path.join(dir, 'new-draft.md'), '---\npublished: false\ntitle: New draft\n---\n\nHIDDEN-NEW\n');
    await app.content.reload();
    expect((await app.inject('/health')).json().version).toBe(before);
    expect(app.content.snapshot.previewVersion).not.toBe(previewBefore);
    await writeFile(path.join(dir, 'public.md'), '---\ntitle: Public, edited\n---\n\nA public page.\n');
    await app.content.reload();
    expect((await app.inject('/health')).json().version).not.toBe(before);
  });
});
