import { describe, expect, it } from 'vitest';
import { createProgress, duration } from '../../../cli/progress.ts';

const capture = (isTTY: boolean) => {
  let text = '';
  return { out: { isTTY, write: (t: string) => (text += t) }, text: () => text };
};

/** A clock the test moves by hand; `tick` fires the bar's timer as setInterval would. */
const fakeClock = () => {
  let now = 0;
  const timers = new Set<() => void>();
  return {
    clock: {
      now: () => now,
      every: (_ms: number, tick: () => void) => {
        timers.add(tick);
        return () => timers.delete(tick);
      },
    },
    advance: (ms: number) => {
      now += ms;
      for (const tick of timers) tick();
    },
    running: () => timers.size,
  };
};

const answered = (rows: number, total: number) => ({ rows, total, accepted: rows - 1, skipped: 1 });
/** The last bar drawn on a terminal. */
const lastBar = (text: string) => text.split('\r\x1b[2K').filter(Boolean).at(-1);

describe('import progress', () => {
  it('says what it is sending, and for how long, before the first answer', () => {
    // GIVEN a terminal and a first request of 1,000 rows of 10,000
    const time = fakeClock();
    const screen = capture(true);
    const progress = createProgress(screen.out, { clock: time.clock });
    progress.update({ rows: 0, total: 10_000, accepted: 0, skipped: 0 });
    progress.sending(1_000);
    // WHEN 2 s pass without an answer
    time.advance(250);
    time.advance(1_750);
    // THEN the bar has been redrawn on the timer, naming the request and the time so far
    expect(lastBar(screen.text())).toBe('  0% [----------------------------] 0 of 10,000 rows · 2.0 s · sending the first 1,000 · 0 accepted · 0 skipped');
  });

  it('moves while a request is in flight, at the rate of the requests before it, with the time left', () => {
    // GIVEN a first request of 1,000 rows of 10,000 answered in 4 s (250 rows/s)
    const time = fakeClock();
    const screen = capture(true);
    const progress = createProgress(screen.out, { clock: time.clock });
    progress.sending(1_000);
    time.advance(4_000);
    progress.update(answered(1_000, 10_000));
    // WHEN the second request has been on its way for 2 s
    progress.sending(1_000);
    time.advance(2_000);
    // THEN half of it is estimated done, and the other 8,500 rows take about 34 s more
    expect(lastBar(screen.text())).toBe(
      ' 15% [####------------------------] 1,500 of 10,000 rows · 6.0 s · 250 rows/s · about 34 s left · 999 accepted · 1 skipped',
    );
  });

  it('never shows a request in flight as done before its answer', () => {
    // GIVEN a rate of 250 rows/s and a request of 1,000 rows that is slow to answer
    const time = fakeClock();
    const screen = capture(true);
    const progress = createProgress(screen.out, { clock: time.clock });
    progress.sending(1_000);
    time.advance(4_000);
    progress.update(answered(1_000, 2_000));
    progress.sending(1_000);
    // WHEN three times its expected time passes
    time.advance(12_000);
    // THEN the bar stays short of the whole request: 1,950 of 2,000, not 100%
    expect(lastBar(screen.text())).toMatch(/^ 97% \[#+-*\] 1,950 of 2,000 rows · 16\.0 s · 250 rows\/s · about 1 s left/);
  });

  it('tells a 100,000-row import how long it will take', () => {
    // GIVEN 100,000 rows, the first 1,000 answered in 6.5 s
    const time = fakeClock();
    const screen = capture(true);
    const progress = createProgress(screen.out, { clock: time.clock });
    progress.sending(1_000);
    time.advance(6_500);
    // WHEN the answer comes
    progress.update(answered(1_000, 100_000));
    // THEN the bar says about ten minutes are left
    expect(lastBar(screen.text())).toContain('1,000 of 100,000 rows · 6.5 s · 154 rows/s · about 10 min 44 s left');
  });

  it('keeps a note on screen and draws the bar again below it', () => {
    const time = fakeClock();
    const screen = capture(true);
    const progress = createProgress(screen.out, { clock: time.clock });
    progress.update(answered(1_000, 10_000));
    progress.note('npsloop: HTTP 503; trying again in 1.0 s');
    expect(screen.text()).toContain('\r\x1b[2Knpsloop: HTTP 503; trying again in 1.0 s\n\r\x1b[2K 10% [');
  });

  it('clears the bar and stops its timer when done', () => {
    const time = fakeClock();
    const screen = capture(true);
    const progress = createProgress(screen.out, { clock: time.clock });
    progress.sending(1_000);
    expect(time.running()).toBe(1);
    progress.done();
    expect(time.running()).toBe(0);
    expect(screen.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes a plain line per answer at most, with no timer, when the output is not a terminal', () => {
    // GIVEN a log, not a terminal, and requests answered every second
    const time = fakeClock();
    const log = capture(false);
    const progress = createProgress(log.out, { clock: time.clock, plainEveryMs: 2_000 });
    for (let i = 1; i <= 3; i++) {
      progress.sending(1_000);
      time.advance(1_000);
      progress.update(answered(i * 1_000, 10_000));
    }
    progress.done();
    // THEN nothing ran on a timer, and no more than a line every 2 s was written, with the time left
    expect(time.running()).toBe(0);
    expect(log.text()).toBe(
      'progress: 10% of the file, 1,000 of 10,000 rows · 1.0 s · 1,000 rows/s · about 9 s left · 999 accepted · 1 skipped\n' +
        'progress: 30% of the file, 3,000 of 10,000 rows · 3.0 s · 1,000 rows/s · about 7 s left · 2,999 accepted · 1 skipped\n',
    );
    expect(log.text()).not.toContain('\r');
  });

  it('says a duration in seconds, and in minutes and seconds past a minute', () => {
    expect([duration(400), duration(59_400), duration(60_000), duration(644_000)]).toEqual(['1 s', '59 s', '1 min', '10 min 44 s']);
  });
});
