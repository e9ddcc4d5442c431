/** Folders with more pages than this show a progress line while they are checked. */
export const PROGRESS_MIN_PAGES = 300;

/** A line on a terminal that is rewritten in place: what a long check is doing. */
export interface ProgressLine {
  update(text: string): void;
  /** Erases the line, so the report starts on a clean one. */
  clear(): void;
}

/** A progress line that draws nothing. */
export const NO_PROGRESS: ProgressLine = { update() {}, clear() {} };

/**
 * A progress line on `stream` (stderr), or nothing when the stream is not a terminal: logs of
 * CI runs and redirected output never carry it, and stdout, which carries the report, never does.
 * Updates are drawn at most every `intervalMs`.
 */
export function progressLine(stream: { isTTY?: boolean; write(text: string): unknown }, intervalMs = 100): ProgressLine {
  if (!stream.isTTY) return NO_PROGRESS;
  let drawnAt = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - drawnAt < intervalMs) return;
      drawnAt = now;
      shown = true;
      stream.write(`\r\x1b[2K${text}`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
      drawnAt = 0;
    },
  };
}
