/**
 * One thread of the render floor's measurement on every core (see measureParallelRender): renders
 * the warm-up pages, says it is ready, then renders the sample each time it is told to go.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { floorRenderer } from './render-floor.ts';

const { site, pages, warmUp, sampled } = workerData as { site: string; pages: number; warmUp: number; sampled: number };
const { sources, renderPage } = await floorRenderer(site, pages, warmUp + sampled);
for (const source of sources.slice(0, warmUp)) await renderPage(source);
const timed = sources.slice(warmUp);
const renderSample = async () => {
  for (const source of timed) await renderPage(source);
  parentPort!.postMessage('done');
};
parentPort!.on('message', () => void renderSample());
parentPort!.postMessage('ready');
