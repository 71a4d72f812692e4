import { count } from './table.ts';
import type { Output } from './io.ts';

/** Where an import stands: `fraction` is the share of the file's bytes read so far. */
export interface ImportState {
  readonly fraction: number;
  readonly rows: number;
  readonly accepted: number;
  readonly skipped: number;
}

export interface Progress {
  update(state: ImportState): void;
  /** A message that must stay on screen (a retry, a warning); the bar is drawn again below it. */
  note(message: string): void;
  /** Clears the bar: the summary follows. */
  done(): void;
}

const BAR_WIDTH = 28;
const REDRAW_MS = 100;

const describe = (s: ImportState) =>
  `${count(s.rows)} rows · ${count(s.accepted)} accepted · ${count(s.skipped)} skipped`;

const percent = (fraction: number) => `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;

/**
 * On a terminal, one bar redrawn in place (at most ten times a second). Elsewhere (a log, CI, a
 * pipe) a plain line now and then, because carriage returns make a mess of a log file.
 */
export const createProgress = (out: Output, { plainEveryMs = 2000, now = () => Date.now() } = {}): Progress => {
  let last: ImportState | undefined;
  let drawnAt = -Infinity;
  let barShown = false;

  if (out.isTTY) {
    const draw = (s: ImportState) => {
      const filled = Math.round(Math.min(1, Math.max(0, s.fraction)) * BAR_WIDTH);
      out.write(`\r\x1b[2K${percent(s.fraction).padStart(4)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${describe(s)}`);
      barShown = true;
      drawnAt = now();
    };
    const clear = () => {
      if (barShown) out.write('\r\x1b[2K');
      barShown = false;
    };
    return {
      update: (s) => {
        last = s;
        if (now() - drawnAt >= REDRAW_MS) draw(s);
      },
      note: (message) => {
        clear();
        out.write(`${message}\n`);
        if (last) draw(last);
      },
      done: clear,
    };
  }

  return {
    update: (s) => {
      if (now() - drawnAt < plainEveryMs) return;
      out.write(`progress: ${percent(s.fraction)} of the file, ${describe(s)}\n`);
      drawnAt = now();
    },
    note: (message) => out.write(`${message}\n`),
    done: () => undefined,
  };
};
