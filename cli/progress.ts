import { count } from './table.ts';
import type { Output } from './io.ts';

/**
 * The import's progress on stderr. A request of 1,000 rows takes seconds, so the bar does not
 * wait for answers to move: while a request is in flight it estimates how many of its rows are
 * done from the rate of the requests answered before it (never all of them before the answer),
 * and from that rate it tells how long the rest will take.
 */

/** Where an import stands after an answer. */
export interface ImportState {
  /** Rows with an outcome (accepted, already imported or skipped). */
  readonly rows: number;
  /** Records in the file (blank ones too): what 100% means. */
  readonly total: number;
  readonly accepted: number;
  readonly skipped: number;
}

export interface Progress {
  /** A request of `rows` recipients is on its way. */
  sending(rows: number): void;
  /** The answer came (or the file ended): where the import stands now. */
  update(state: ImportState): void;
  /** A message that must stay on screen (a retry, a warning); the bar is drawn again below it. */
  note(message: string): void;
  /** Clears the bar and stops its clock: the summary follows. */
  done(): void;
}

export interface ProgressClock {
  readonly now: () => number;
  /** Calls `tick` every `ms` until the returned stop is called. */
  readonly every: (ms: number, tick: () => void) => () => void;
}

const systemClock: ProgressClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref(); // the bar never keeps the process alive
    return () => clearInterval(timer);
  },
};

const BAR_WIDTH = 28;
const TICK_MS = 250;
// An estimate stays short of the whole request: only its answer says it is done.
const IN_FLIGHT_CAP = 0.95;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** "about 2 min 5 s": whole seconds, minutes past a minute. */
export const duration = (ms: number): string => {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
};

const clamp = (fraction: number) => Math.min(1, Math.max(0, fraction));

/**
 * On a terminal, one bar redrawn in place every quarter second while a request is in flight.
 * Elsewhere (a log, CI, a pipe) a plain line per answered request at most (and no more often
 * than `plainEveryMs`), because carriage returns make a mess of a log file.
 */
export const createProgress = (out: Output, { plainEveryMs = 2000, clock = systemClock } = {}): Progress => {
  const started = clock.now();
  let last: ImportState | undefined;
  let inFlight: { rows: number; since: number } | undefined;
  // The measured rate: rows of answered requests over the time spent waiting for them.
  let answeredRows = 0;
  let waitedMs = 0;
  let stopTicking: (() => void) | undefined;
  let barShown = false;
  let plainAt = -Infinity;

  const rate = () => (waitedMs > 0 && answeredRows > 0 ? answeredRows / waitedMs : undefined); // rows per ms

  const text = (tty: boolean): string => {
    const now = clock.now();
    const done = last?.rows ?? 0;
    const total = last?.total ?? 0;
    const perMs = rate();
    const estimated = inFlight && perMs !== undefined ? Math.min(inFlight.rows * IN_FLIGHT_CAP, (now - inFlight.since) * perMs) : 0;
    const rows = Math.floor(done + estimated);
    const fraction = total === 0 ? 0 : clamp(rows / total);
    const parts = [`${count(rows)} of ${count(total)} rows`, seconds(now - started)];
    if (perMs !== undefined) {
      parts.push(`${count(Math.round(perMs * 1000))} rows/s`);
      const left = Math.max(0, total - rows);
      if (left > 0) parts.push(`about ${duration(left / perMs)} left`);
    } else if (inFlight) parts.push(`sending the first ${count(inFlight.rows)}`);
    if (last) parts.push(`${count(last.accepted)} accepted`, `${count(last.skipped)} skipped`);
    const percent = `${Math.floor(fraction * 100)}%`;
    if (!tty) return `progress: ${percent} of the file, ${parts.join(' · ')}`;
    const filled = Math.round(fraction * BAR_WIDTH);
    return `${percent.padStart(4)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${parts.join(' · ')}`;
  };

  const answer = (state: ImportState) => {
    if (inFlight) {
      answeredRows += inFlight.rows;
      waitedMs += clock.now() - inFlight.since;
      inFlight = undefined;
    }
    last = state;
  };

  if (out.isTTY) {
    const draw = () => {
      out.write(`\r\x1b[2K${text(true)}`);
      barShown = true;
    };
    const clear = () => {
      if (barShown) out.write('\r\x1b[2K');
      barShown = false;
    };
    const stop = () => {
      stopTicking?.();
      stopTicking = undefined;
    };
    return {
      sending: (rows) => {
        inFlight = { rows, since: clock.now() };
        draw();
        stopTicking ??= clock.every(TICK_MS, draw);
      },
      update: (state) => {
        answer(state);
        draw();
      },
      note: (message) => {
        clear();
        out.write(`${message}\n`);
        draw();
      },
      done: () => {
        stop();
        clear();
      },
    };
  }

  return {
    sending: (rows) => {
      inFlight = { rows, since: clock.now() };
    },
    update: (state) => {
      answer(state);
      if (clock.now() - plainAt < plainEveryMs) return;
      out.write(`${text(false)}\n`);
      plainAt = clock.now();
    },
    note: (message) => out.write(`${message}\n`),
    done: () => undefined,
  };
};
