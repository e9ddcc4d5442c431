import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/content/front-matter.ts';
import { answerOf, bodyOf, factsOf, htmlBytesOf, outlineOf, packBody, packRender, questionsOf, sectionOutlineOf, withOwnBody } from '../../src/content/rendered-page.ts';
import { faqQuestionsOf } from '../../src/markdown/faq.ts';
import { createMarkdownRenderer } from '../../src/markdown/render.ts';
import { outlinePage, sectionsFrom, walkSections } from '../../src/markdown/sections.ts';
import { markdownFiles, pyopensciCorpus } from '../helpers/app.ts';
import v8 from 'node:v8';

const render = createMarkdownRenderer({ resolveLink: () => ({ kind: 'external' }) });

describe("a render's body (HTML, section tree, section texts, facts, FAQ answers)", () => {
  it('is kept deflated, and read back whole, HTML, tree, texts, facts and FAQ in their places, for every page of the corpus', async () => {
    let answered = 0;
    for (const file of await markdownFiles(pyopensciCorpus)) {
      const { body } = splitFrontMatter(await readFile(file, 'utf8'));
      const { html, sections } = outlinePage((await render({ body, bodyLine: 1, page: { file, permalink: '/' } })).tree);
      const facts = JSON.stringify({ file, headings: sections.map(({ id }) => id) });
      const questions = faqQuestionsOf(sectionsFrom(html, sections));
      const compact = packRender({ html, sections, facts, questions });
      const read = bodyOf(compact);
      expect(read.html, file).toBe(html);
      // The bytes the HTML body sends, read without decoding the body into strings.
      expect(htmlBytesOf(compact).equals(Buffer.from(html)), file).toBe(true);
      expect(outlineOf(read), file).toEqual(sections);
      expect(factsOf(compact), file).toBe(facts);
      // The questions apart (no inflating to list them), each answer in the body.
      expect(questionsOf(compact), file).toEqual(questions.map(({ id, question }) => ({ id, question })));
      expect(read.answers, file).toEqual(questions.map(({ answer }) => answer));
      questions.forEach(({ answer }, at) => expect(answerOf(compact, at), file).toEqual(answer));
      answered += questions.length;
      // One section alone (with its subsections and their texts), as the section route reads it.
      for (const section of walkSections(sections)) {
        expect(sectionOutlineOf(compact, section.id), `${file}#${section.id}`).toEqual({ section, html });
      }
      expect(sectionOutlineOf(compact, 'no-such-section')).toBeUndefined();
    }
    // The corpus has FAQ pages: the answers' place in the body was tried.
    expect(answered).toBeGreaterThan(0);
  });

  it('keeps texts with any characters, commas and newlines among them, and empty ones, apart', () => {
    const texts = ['', 'one, two\nthree', '', 'naïve — 日本語 😀', '1,2\n3'];
    const html = '<p>a,b\n</p>\n<h2 id="x">😀</h2>';
    const answers = [{ html: '<p>1,2\n</p>', text: '' }, { html: '', text: 'é' }];
    const packed = { body: packBody({ html, sectionTexts: texts, outline: '[{"id":"x,\\n"}]', facts: '{"a":"é,\\n"}', answers }) };
    expect(bodyOf(packed)).toEqual({ html, sectionTexts: texts, outline: '[{"id":"x,\\n"}]', answers });
    expect(answerOf(packed, 1)).toEqual(answers[1]);
    expect(factsOf(packed)).toBe('{"a":"é,\\n"}');
    // The HTML as bytes: its UTF-8 as Buffer.from(html) gives it, a lone surrogate as U+FFFD, in memory of its own.
    const bytes = htmlBytesOf(packed);
    expect(bytes.equals(Buffer.from(html))).toBe(true);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
    const unpaired = '<p>\ud800 😀</p>';
    expect(htmlBytesOf({ body: packBody({ html: unpaired, sectionTexts: [], outline: '', facts: '', answers: [] }) }).equals(Buffer.from(unpaired))).toBe(true);
    const empty = { body: packBody({ html: '', sectionTexts: [], outline: '', facts: '', answers: [] }) };
    expect(htmlBytesOf(empty).length).toBe(0);
    expect(bodyOf(empty)).toEqual({ html: '', sectionTexts: [], outline: '', answers: [] });
    expect(factsOf(empty)).toBe('');
  });

  it('takes a quarter of the memory or less for a page of prose, in memory of its own', () => {
    const html = Array.from({ length: 40 }, (_, at) => `<p>Paragraph ${at} of a page about packaging Python, with <a href="/guide/">a link</a>.</p>`).join('\n');
    const text = html.replace(/<[^>]+>/g, '');
    const packed = packBody({ html, sectionTexts: [text], outline: '[]', facts: '{}', answers: [] });
    expect(packed.byteLength).toBeLessThan((html.length + text.length) / 4);
    // Not a view of Node's shared pool, which a worker's message would copy whole.
    expect(packed.buffer.byteLength).toBe(packed.byteLength);
  });

  it('read back from the warm-start pack, no longer holds on to the chunk it was read from', () => {
    const page = { body: packBody({ html: '<p>x</p>', sectionTexts: ['x'], outline: '[]', facts: '{}', answers: [] }) };
    const [[, read]] = v8.deserialize(v8.serialize([['key', page]])) as [[string, typeof page]];
    expect(read.body.buffer.byteLength).toBeGreaterThan(read.body.byteLength);
    const own = withOwnBody(read as never) as unknown as typeof page;
    expect(own.body.buffer.byteLength).toBe(own.body.byteLength);
    expect(bodyOf(own)).toEqual({ html: '<p>x</p>', sectionTexts: ['x'], outline: '[]', answers: [] });
  });
});
