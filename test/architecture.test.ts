import path from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The import graph of src/ and schemas/, type imports included (what `npm run lint:cycles` checks). */
async function importGraph() {
  const result = await madge(['src', 'schemas'], {
    baseDir: root,
    fileExtensions: ['ts'],
    tsConfig: path.join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
  return result;
}

describe('architecture', () => {
  it('has no import cycles in src/ and schemas/, type imports included', async () => {
    const graph = await importGraph();
    expect(graph.circular()).toEqual([]);
  });

  it('keeps src/model a leaf: it imports only src/model and schemas/', async () => {
    const graph = await importGraph();
    const model = Object.entries(graph.obj()).filter(([file]) => file.startsWith('src/model/'));
    expect(model.map(([file]) => file)).toContain('src/model/snapshot.ts');
    const outside = model.flatMap(([file, imports]) =>
      imports.filter((target) => !target.startsWith('src/model/') && !target.startsWith('schemas/')).map((target) => `${file} → ${target}`),
    );
    expect(outside).toEqual([]);
  });
});
