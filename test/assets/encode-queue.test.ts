import { describe, expect, it } from 'vitest';
import { createEncodeQueue, EncodeQueueFull } from '../../src/assets/encode-queue.ts';

/** A job that runs until `finish` is called, recording its start in `log`. */
function heldJob(name: string, log: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    job: async () => {
      log.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

describe('the encode queue', () => {
  it('runs at most `concurrency` jobs at once, the others in the order they came', async () => {
    const queue = createEncodeQueue({ concurrency: 2, maxWaiting: 10 });
    const log: string[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((name) => heldJob(name, log));
    const results = jobs.map(({ job }) => queue.run(job));
    expect(log).toEqual(['a', 'b']);
    expect([queue.running, queue.waiting]).toEqual([2, 2]);
    jobs[1].finish();
    await results[1];
    expect(log).toEqual(['a', 'b', 'c']);
    for (const { finish } of jobs) finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('refuses a job with EncodeQueueFull when every place is taken and the line is full, and admits again once there is room', async () => {
    const queue = createEncodeQueue({ concurrency: 1, maxWaiting: 1 });
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => heldJob(name, log));
    const admitted = [queue.run(a.job), queue.run(b.job)];
    await expect(queue.run(c.job)).rejects.toBeInstanceOf(EncodeQueueFull);
    a.finish();
    b.finish();
    await Promise.all(admitted);
    expect(log).toEqual(['a', 'b']);
    c.finish();
    expect(await queue.run(c.job)).toBe('c');
  });

  it('frees the place of a job that fails, even one that throws before its first await', async () => {
    const queue = createEncodeQueue({ concurrency: 1, maxWaiting: 0 });
    const throwsAtOnce = (() => {
      throw new Error('at once');
    }) as unknown as () => Promise<string>;
    await expect(queue.run(throwsAtOnce)).rejects.toThrow('at once');
    await expect(queue.run(async () => Promise.reject(new Error('later')))).rejects.toThrow('later');
    expect(await queue.run(async () => 'ok')).toBe('ok');
    expect(queue.running).toBe(0);
  });
});
