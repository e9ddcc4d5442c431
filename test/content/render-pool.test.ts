import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { bundledContent, pyopensciCorpus } from '../helpers/app.ts';

describe('rendering in worker threads', () => {
  it.each([['the bundled site', bundledContent], ['the pyOpenSci Jekyll site', pyopensciCorpus]])(
    'gives %s exactly what rendering in the main thread gives',
    async (_name, dir) => {
      const here = await loadContent(dir, { workerThreshold: Number.POSITIVE_INFINITY });
      const workers = await loadContent(dir, { workerThreshold: 1 });
      expect(workers.rendered).toBe(here.rendered);
      expect(workers.version).toBe(here.version);
      expect(workers.diagnostics).toEqual(here.diagnostics);
      for (const record of here.published.pages) {
        expect(workers.published.bySlug.get(record.summary.slug)!.page).toEqual(record.page);
      }
    },
    60_000,
  );
});
