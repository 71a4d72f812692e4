import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../cli/progress.ts';

const capture = (isTTY: boolean) => {
  let text = '';
  return { out: { isTTY, write: (t: string) => (text += t) }, text: () => text };
};

const state = (fraction: number, rows: number) => ({ fraction, rows, accepted: rows - 1, skipped: 1 });

describe('import progress', () => {
  it('redraws one bar in place on a terminal, and clears it when done', () => {
    let now = 0;
    const screen = capture(true);
    const progress = createProgress(screen.out, { now: () => now });
    progress.update(state(0.1, 1_000));
    now += 50;
    progress.update(state(0.2, 2_000)); // too soon: not drawn
    now += 100;
    progress.update(state(0.5, 5_000));
    progress.done();
    expect(screen.text().split('\r\x1b[2K')).toEqual([
      '',
      ' 10% [###-------------------------] 1,000 rows · 999 accepted · 1 skipped',
      ' 50% [##############--------------] 5,000 rows · 4,999 accepted · 1 skipped',
      '',
    ]);
  });

  it('keeps a note on screen and draws the bar again below it', () => {
    const screen = capture(true);
    const progress = createProgress(screen.out, { now: () => 0 });
    progress.update(state(0.1, 1_000));
    progress.note('npsloop: HTTP 503; trying again in 1.0 s');
    expect(screen.text()).toContain('\r\x1b[2Knpsloop: HTTP 503; trying again in 1.0 s\n\r\x1b[2K 10% [');
  });

  it('writes plain lines, no more often than asked, when the output is not a terminal', () => {
    let now = 0;
    const log = capture(false);
    const progress = createProgress(log.out, { now: () => now, plainEveryMs: 2_000 });
    progress.update(state(0.1, 1_000));
    now += 1_000;
    progress.update(state(0.2, 2_000));
    now += 1_000;
    progress.update(state(0.3, 3_000));
    progress.done();
    expect(log.text()).toBe(
      'progress: 10% of the file, 1,000 rows · 999 accepted · 1 skipped\nprogress: 30% of the file, 3,000 rows · 2,999 accepted · 1 skipped\n',
    );
    expect(log.text()).not.toContain('\r');
  });
});
