import { describe, expect, it } from 'vitest';
import { nextRunAt, ruleArn, scheduledEvent, scheduleIntervalMsFromEnv } from '#local/schedule/scheduler';

describe('local schedule (EventBridge rate rule)', () => {
  it('hands the function the ScheduledEvent EventBridge sends, timed to the second it was due', () => {
    const rule = ruleArn('npsloop-releaseDue', 'us-east-1');
    const event = scheduledEvent(rule, 'us-east-1', new Date('2026-03-01T10:15:00.250Z'));
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-03-01T10:15:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/npsloop-releaseDue'],
      detail: {},
    });
  });

  it('keeps to the rate while runs are shorter than the interval', () => {
    expect(nextRunAt(60_000, 60_400, 60_000)).toBe(120_000);
  });

  it('starts the next run as soon as an overlong run ends, never beside it', () => {
    // GIVEN a run due at 60 s that ended at 190 s (it missed the ticks at 120 s and 180 s)
    expect(nextRunAt(60_000, 190_000, 60_000)).toBe(190_000);
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['1', 1000],
    ['0.5', 500],
  ])('reads NPSLOOP_LOCAL_SCHEDULE_SECONDS=%j as %j ms', (raw, expected) => {
    expect(scheduleIntervalMsFromEnv(raw)).toBe(expected);
  });

  it.each(['0', '-5', 'soon', 'Infinity'])('refuses NPSLOOP_LOCAL_SCHEDULE_SECONDS=%j', (raw) => {
    expect(() => scheduleIntervalMsFromEnv(raw)).toThrow(/NPSLOOP_LOCAL_SCHEDULE_SECONDS must be a positive number of seconds/);
  });
});
