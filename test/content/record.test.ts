import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { faqPageJsonLdText } from '../../src/discovery/faq-jsonld.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'record-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const longAnswer = Array.from({ length: 12 }, (_, at) => `Reviews take *weeks*, not days: step ${at} of the [guide](https://example.org/${at}) — naïve 日本語.`).join('\n');

describe('a page record', () => {
  it('serves FAQ answers (kept deflated, read when asked for), long and short, as the page shows them, in the FAQ list, the page JSON and JSON-LD alike', async () => {
    await writeFile(
      path.join(dir, 'help.md'),
      `---\ntitle: Help\n---\n\n## FAQ\n\n### How long does a review take?\n\n${longAnswer}\n\n### Is it free?\n\nYes.\n`,
    );
    const snapshot = await loadContent(dir);
    const record = snapshot.published.bySlug.get('help')!;
    const [long, short] = record.faq;
    expect(long.answer.html).toContain('<em>weeks</em>');
    expect(long.answer.html).toContain('<a href="https://example.org/11">guide</a>');
    expect(long.answer.text).toContain('Reviews take weeks, not days: step 0 of the guide — naïve 日本語.');
    // Read twice, the same.
    expect(long.answer.html).toBe(long.answer.html);
    expect(short.answer).toEqual({ html: '<p>Yes.</p>', text: 'Yes.' });
    // Every form of the entries serializes the answers, not an empty object for the packed one.
    const served = JSON.parse(JSON.stringify(record.faq)) as typeof record.faq;
    expect(served[0].answer).toEqual({ html: long.answer.html, text: long.answer.text });
    expect(JSON.parse(record.json.body.toString()).faq).toEqual(served);
    expect(JSON.parse(JSON.stringify(snapshot.published.faq))).toEqual(served);
    const jsonLd = JSON.parse([...faqPageJsonLdText(snapshot.published.faq)].join('')) as { mainEntity: { acceptedAnswer: { text: string } }[] };
    expect(jsonLd.mainEntity.map((question) => question.acceptedAnswer.text)).toEqual([long.answer.html, '<p>Yes.</p>']);
  });

  it('serves its JSON and HTML made from the one render, both last modified at the file\'s time to the second', async () => {
    const file = path.join(dir, 'about.md');
    await writeFile(file, '---\ntitle: About\n---\n\nWe *review* packages.\n');
    await utimes(file, new Date('2026-03-04T05:06:07.890Z'), new Date('2026-03-04T05:06:07.890Z'));
    const record = (await loadContent(dir)).published.bySlug.get('about')!;
    expect(record.modified.toISOString()).toBe('2026-03-04T05:06:07.890Z');
    expect(record.html.body.toString()).toBe('<p>We <em>review</em> packages.</p>');
    expect(JSON.parse(record.json.body.toString())).toMatchObject({ slug: 'about', title: 'About', html: '<p>We <em>review</em> packages.</p>' });
    expect(record.json.contentType).toMatch(/^application\/json/);
    expect(record.html.contentType).toMatch(/^text\/html/);
    for (const representation of [record.json, record.html]) {
      expect(representation.lastModified.toISOString()).toBe('2026-03-04T05:06:07.000Z');
      expect(representation.lastModifiedHttp).toBe('Wed, 04 Mar 2026 05:06:07 GMT');
    }
    expect(record.json.etag).not.toBe(record.html.etag);
  });
});
