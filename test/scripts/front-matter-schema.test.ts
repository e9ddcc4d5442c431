/**
 * schemas/front-matter.schema.json, the JSON Schema editors read, says what FrontMatterSchema
 * (Zod) says: checked on hand-made cases and on the front matter of every real page we have.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { FrontMatterSchema } from '../../schemas/front-matter.ts';
import { parseFrontMatter, splitFrontMatter } from '../../src/content/front-matter.ts';
import { bundledContent, fixture, pyopensciCorpus } from '../helpers/app.ts';

const schema = JSON.parse(await readFile(new URL('../../schemas/front-matter.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.md')).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('schemas/front-matter.schema.json', () => {
  it('is a JSON Schema 2020-12 document that Ajv compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each([
    [{ title: 'Hi', layout: 'single', permalink: '/hi/' }, true],
    [{ title: 123, layout: 'single' }, false],
    [{ published: 'no' }, false],
    [{ header: { actions: [{ label: 'Docs' }] } }, false],
    [{ header: { overlay_filter: 0.6, actions: [{ label: 'Docs', url: '/docs/' }] }, custom_key: { kept: true } }, true],
  ])('judges %j as Zod does (%s)', (frontMatter, valid) => {
    expect(FrontMatterSchema.safeParse(frontMatter).success).toBe(valid);
    expect(validate(frontMatter)).toBe(valid);
  });

  it('agrees with FrontMatterSchema on every page of the bundled content, the bad-content fixture and the pyOpenSci corpus', async () => {
    const files = [
      ...(await markdownFiles(bundledContent)),
      ...(await markdownFiles(fixture('bad-content'))),
      ...(await markdownFiles(pyopensciCorpus)),
    ];
    expect(files.length).toBeGreaterThan(50);
    const disagreements: string[] = [];
    for (const file of files) {
      const split = splitFrontMatter(await readFile(file, 'utf8'));
      const { data } = parseFrontMatter(split.yaml, split.yamlLine);
      const zod = FrontMatterSchema.safeParse(data).success;
      if (validate(data) !== zod) disagreements.push(`${path.basename(file)}: Zod says ${zod ? 'valid' : 'invalid'}`);
    }
    expect(disagreements).toEqual([]);
  });
});
