import { loadContent } from '../src/content/load.ts';
import { rankRelaxed } from '../src/search/relaxed-search.ts';
const s = await loadContent('/tmp/abuse-site');
const view = s.published; view.search;
const { buildSiteIndex } = await import('../src/search/site-index.ts');
const site = buildSiteIndex(view.pages, 'published');
const W = 'kalo lomin renta tosca shale vidro dorn pelt lugar ganet tibor bosk amber cinder delta ember fjord grove'.split(' ');
let seed = 1; const draw = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % W.length;
for (let i = 0; i < 6; i++) {
  const q = Array.from({ length: 12 }, () => W[draw()].slice(0, 3)).join(' ');
  let t = performance.now();
  const r = rankRelaxed(site.index as never, q, { boost: { title: 4, heading: 3, keywords: 2, text: 1 } }, 50);
  const rank = performance.now() - t;
  t = performance.now();
  const a = view.search.search({ q, limit: 10, offset: 0 }, { budgetMs: 50 });
  console.log(Math.round(rank), 'rank;', Math.round(performance.now() - t), 'search', r.partial, r.results.length);
}
process.exit(0);
