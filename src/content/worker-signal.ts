/**
 * What the render pool asks of its workers between two pages of a render, in one shared Int32Array
 * (see giveWay and renderAlongside in render-pool.ts, and the worker's render loop): go on, wait
 * (a live edit is being served), or end the batch and hand the rest back (a render for a live
 * edit is waiting for a worker).
 */
export const WorkerSignal = { go: 0, wait: 1, handBack: 2 } as const;
