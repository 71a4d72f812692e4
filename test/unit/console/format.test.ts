import { describe, expect, it } from 'vitest';
import { excerpt, formatDay, formatMinutes, formatNps, formatRelative, formatShare, isOverdue, shiftDay, timeRange } from '../../../console/src/format.ts';

describe('how the console writes figures', () => {
  it('writes NPS with its sign, one decimal at most, and a dash when there is none', () => {
    expect(formatNps(32, 'en')).toBe('+32');
    expect(formatNps(-4.5, 'en')).toBe('−4.5');
    expect(formatNps(-4.5, 'ru')).toBe('−4,5');
    expect(formatNps(0, 'en')).toBe('0');
    expect(formatNps(null, 'en')).toBe('—');
  });

  it('writes shares as whole percentages', () => {
    expect(formatShare(0.534, 'en')).toBe('53%');
    expect(formatShare(1, 'ru')).toMatch(/^100\s?%$/);
    expect(formatShare(null, 'en')).toBe('—');
  });

  it('writes durations in the two largest units that matter', () => {
    expect(formatMinutes(45, 'en')).toBe('45 min');
    expect(formatMinutes(125, 'en')).toBe('2 h 5 min');
    expect(formatMinutes(120, 'en')).toBe('2 h');
    expect(formatMinutes(3 * 1440 + 4 * 60 + 59, 'en')).toBe('3 d 4 h');
    expect(formatMinutes(90, 'ru')).toBe('1 ч 30 мин');
    expect(formatMinutes(null, 'en')).toBe('—');
  });

  it('writes due times relative to now, in the largest unit', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(formatRelative('2026-12-01T15:00:00Z', now, 'en')).toBe('in 3 hours');
    expect(formatRelative('2026-11-29T12:00:00Z', now, 'en')).toBe('2 days ago');
    expect(formatRelative('2026-12-01T12:30:00Z', now, 'ru')).toBe('через 30 минут');
  });

  it('calls a case overdue only once its due time has passed', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(isOverdue('2026-12-01T11:59:59Z', now)).toBe(true);
    expect(isOverdue('2026-12-01T12:00:01Z', now)).toBe(false);
  });

  it('writes a UTC day as people do, whatever the browser time zone', () => {
    expect(formatDay('2026-12-01', 'en')).toBe('Dec 1, 2026');
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('cuts a long comment at a word, with an ellipsis, and joins its lines', () => {
    expect(excerpt('short\ncomment')).toBe('short comment');
    const cut = excerpt('The delivery was late and nobody answered the phone when I called', 40);
    expect(cut).toBe('The delivery was late and nobody…');
    expect(excerpt(undefined)).toBe('');
  });
});

describe('the trend chart’s time axis', () => {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;

  it('spans the range asked for, not just the days that have answers', () => {
    expect(timeRange([day('2026-11-20')], '2026-11-02', '2026-12-01')).toEqual([day('2026-11-02'), day('2026-12-01')]);
  });

  it('widens a single day to three, so one point is not stretched over years', () => {
    expect(timeRange([day('2026-12-01')])).toEqual([day('2026-11-30'), day('2026-12-02')]);
  });
});
