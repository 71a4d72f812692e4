import { describe, expect, it } from 'vitest';
import { ResponsesQuery } from '#shared/contract/responses';
import { firstDayOfLast, foldForSearch, previousMonth } from '#shared/core/feed';

describe('ResponsesQuery (the response feed)', () => {
  it('reads every campaign when no campaignId is given, as JSON, 50 to a page', () => {
    expect(ResponsesQuery.parse({})).toEqual({ format: 'json', limit: 50 });
  });

  it('reads each filter from its query-string text', () => {
    // GIVEN every filter, as a browser's query string carries them
    const query = { campaignId: 'C1', from: '2026-11-01', to: '2026-11-30', category: 'detractor', segment: 'plan:pro', theme: 'delivery', q: 'Slow', limit: '20', format: 'csv' };

    // WHEN parsed
    const parsed = ResponsesQuery.parse(query);

    // THEN each is typed, and the segment is split into its attribute and value
    expect(parsed).toEqual({ ...query, limit: 20, segment: { attribute: 'plan', value: 'pro' } });
  });

  it('keeps a colon inside a segment value', () => {
    expect(ResponsesQuery.parse({ segment: 'region:eu:west' }).segment).toEqual({ attribute: 'region', value: 'eu:west' });
  });

  it.each([
    [{ category: 'angry' }, 'category'],
    [{ segment: 'plan' }, 'segment'],
    [{ segment: 'constructor:x' }, 'segment'],
    [{ segment: 'plan:' }, 'segment'],
    [{ from: '2026-02-30' }, 'from'],
    [{ from: '2026-12-02', to: '2026-12-01' }, 'from'],
    [{ days: '0' }, 'days'],
    [{ days: '7d' }, 'days'],
    [{ days: '7', from: '2026-12-01' }, 'days'],
    [{ q: 'a' }, 'q'],
    [{ q: 'two\nlines' }, 'q'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ theme: 'Delivery' }, 'theme'],
    [{ format: 'xml' }, 'format'],
    [{ campaignId: '' }, 'campaignId'],
  ])('refuses %j, naming %s', (query, field) => {
    const result = ResponsesQuery.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('refuses a parameter it does not know', () => {
    expect(ResponsesQuery.safeParse({ sort: 'oldest' }).success).toBe(false);
  });

  it('lets the theme filter export as CSV too', () => {
    expect(ResponsesQuery.parse({ theme: 'delivery', format: 'csv' })).toMatchObject({ theme: 'delivery', format: 'csv' });
  });
});

describe('search folding', () => {
  it('finds words whatever their letter case, and ё as е', () => {
    expect(foldForSearch('Ёлка  ДОСТАВКА')).toBe('елка доставка');
    expect(foldForSearch('ЁЖ')).toBe(foldForSearch('еж'));
    expect(foldForSearch('Slow\n\tDelivery ')).toBe('slow delivery');
  });

  it('keeps й and other letters apart', () => {
    expect(foldForSearch('мой')).not.toBe(foldForSearch('мои'));
  });

  it('reads full-width letters as ordinary ones', () => {
    expect(foldForSearch('ＳＬＯＷ')).toBe('slow');
  });
});

describe('feed months and days', () => {
  it('steps back a month, across a year', () => {
    expect(previousMonth('2026-12')).toBe('2026-11');
    expect(previousMonth('2026-01')).toBe('2025-12');
  });

  it('counts days back from today, today included', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(firstDayOfLast(1, now)).toBe('2026-12-01');
    expect(firstDayOfLast(7, now)).toBe('2026-11-25');
  });
});
