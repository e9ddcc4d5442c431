import { createContentLoader } from '../src/content/load.ts';
const loader = createContentLoader('/tmp/abuse-site', { cacheDir: null });
const snap = await loader.load();
const view = snap.published;
let t = performance.now(); view.search; console.log('index', performance.now() - t);
for (const q of ['kal lom ren tos sha vid dor pel lug gan tib bos', 'kalo', 'zzq xxw', 'ama cin del emb fjo gro', 'kalox lominx rentax toscax shalex vidrox dornx peltx lugarx ganetx tiborx boskx']) {
  t = performance.now(); const r = view.search.search({ q, limit: 10, offset: 0 } as any); console.log(q, r.total, Math.round(performance.now() - t), 'ms');
}
await loader.flush?.();
process.exit(0);
