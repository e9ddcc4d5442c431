import { loadSiteRules } from '../src/content/site-rules-loader.ts';
import { createPageRenderer } from '../src/content/render-page.ts';
import { readEntry } from '../src/content/entry.ts';
import { readFileSync } from 'node:fs';
const rules = await loadSiteRules('/tmp/hx3');
const { entry } = readEntry(rules, 'hx-heavy.md', readFileSync('/tmp/hx3/hx-heavy.md', 'utf8'), 0);
const render = createPageRenderer(rules, { pages: [{ file: 'hx-good.md', slug: 'hx-good', permalink: '/hx-good/' }], redirects: [], baseUrl: '', documents: [] });
for (let i = 0; i < 3; i++) { const t = performance.now(); await render(entry!); console.log((performance.now() - t).toFixed(0)); }
