import { describe, expect, it } from 'vitest';
import { CampaignInput } from '#shared/contract/campaigns';
import { ScoreQuery } from '#shared/contract/scores';

/** Days a calendar does not have, each in the shape YYYY-MM-DD. */
const impossibleDays = [
  ['2026-13-45', 'month 13, day 45'],
  ['2026-00-10', 'month 0'],
  ['2026-11-00', 'day 0'],
  ['2026-02-30', 'Feb 30'],
  ['2026-02-29', 'Feb 29 in a non-leap year'],
  ['2100-02-29', 'Feb 29 in a century year that is not a leap year'],
  ['2026-04-31', 'Apr 31'],
] as const;

describe('ScoreQuery dates', () => {
  it.each(impossibleDays)('refuses from=%s (%s)', (day) => {
    const result = ScoreQuery.safeParse({ from: day });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['from']);
  });

  it.each(impossibleDays)('refuses to=%s (%s)', (day) => {
    expect(ScoreQuery.safeParse({ to: day }).success).toBe(false);
  });

  it.each(['2024-02-29', '2000-02-29', '2026-02-28', '2026-12-31', '2026-01-01'])('accepts the real day %s', (day) => {
    expect(ScoreQuery.parse({ from: day, to: day })).toMatchObject({ from: day, to: day });
  });

  it('still refuses a day in another shape', () => {
    expect(ScoreQuery.safeParse({ from: '2026-1-5' }).success).toBe(false);
    expect(ScoreQuery.safeParse({ from: '2026-11-05T00:00:00Z' }).success).toBe(false);
  });
});

describe('CampaignInput sendAt', () => {
  it.each(['2026-02-30T09:00:00Z', '2026-13-01T09:00:00+01:00', '2026-02-29T09:00:00Z'])('refuses the impossible time %s', (sendAt) => {
    expect(CampaignInput.safeParse({ name: 'N', brand: 'B', channel: 'email', sendAt }).success).toBe(false);
  });

  it('refuses a time more than a few minutes in the past, saying why', () => {
    const sendAt = new Date(Date.now() - 60 * 60_000).toISOString();
    const result = CampaignInput.safeParse({ name: 'N', brand: 'B', channel: 'email', sendAt });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['sendAt'], message: expect.stringMatching(/in the past/) })]);
  });

  it('takes a time a moment ago as now, and any future time', () => {
    for (const offsetMs of [-60_000, 60_000, 30 * 86_400_000]) {
      const sendAt = new Date(Date.now() + offsetMs).toISOString();
      expect(CampaignInput.safeParse({ name: 'N', brand: 'B', channel: 'email', sendAt }).success).toBe(true);
    }
  });
});
