import type { LoadStagesMs } from '../../model/snapshot.ts';

/**
 * Times the stages of a load: each mark closes the stage that ran since the one before (the first
 * since `started`), so the stages cover the load without gaps.
 */
export function createStageClock(started: number) {
  let last = started;
  const stages: Partial<LoadStagesMs> = {};
  const mark = (stage: keyof LoadStagesMs) => {
    const now = performance.now();
    stages[stage] = Math.round(now - last);
    last = now;
  };
  return {
    mark,
    /** Closes the last stage (publish) and gives every stage's milliseconds. */
    finish(): LoadStagesMs {
      mark('publish');
      return stages as LoadStagesMs;
    },
  };
}

export type StageClock = ReturnType<typeof createStageClock>;
