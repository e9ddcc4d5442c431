import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progress.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('progressLine', () => {
  it('rewrites one terminal line in place and erases it when done', () => {
    const terminal = stream(true);
    const progress = progressLine(terminal, 0);
    progress.update('checking pages 1/400');
    progress.update('checking pages 2/400');
    progress.clear();
    expect(terminal.written).toEqual(['\r\x1b[2Kchecking pages 1/400', '\r\x1b[2Kchecking pages 2/400', '\r\x1b[2K']);
  });

  it('writes nothing to a stream that is not a terminal', () => {
    const log = stream(false);
    const progress = progressLine(log, 0);
    progress.update('checking pages 1/400');
    progress.clear();
    expect(log.written).toEqual([]);
  });
});
