import { describe, expect, it } from 'vitest';
import { checkFilter, feedCsv, filterFromPath, noFilter, pathOfFilter } from '../../../console/src/feed-filter.ts';
import type { ResponseRow } from '#shared/contract/responses';

describe('the feed filters in the address', () => {
  it('round-trips every filter through the page address, words with spaces and & included', () => {
    // GIVEN filters with text that needs escaping
    const filter = { ...noFilter, campaignId: '01KB0000000000000000000000', category: 'detractor', segment: 'plan:pro & co', q: 'ёлка / доставка?', from: '2026-11-01' };

    // WHEN they go into the address and back
    const path = pathOfFilter(filter);

    // THEN the path is one route segment, and reads back the same
    expect(path.startsWith('/responses/')).toBe(true);
    expect(path.slice('/responses/'.length)).not.toContain('/');
    expect(filterFromPath(path)).toEqual(filter);
  });

  it('leaves the address bare with no filter, and reads a bare address as no filter', () => {
    expect(pathOfFilter(noFilter)).toBe('/responses');
    expect(filterFromPath('/responses')).toEqual(noFilter);
    expect(filterFromPath('/responses/unknown=1')).toEqual(noFilter);
  });
});

describe('checking the filters with the API schema', () => {
  it('sends only the filters set', () => {
    expect(checkFilter({ ...noFilter, category: 'promoter', q: '  slow ' })).toEqual({ ok: true, query: { category: 'promoter', q: 'slow' } });
  });

  it('names the field of each problem, in the API’s words', () => {
    const segment = checkFilter({ ...noFilter, segment: 'pro' });
    const range = checkFilter({ ...noFilter, from: '2026-12-05', to: '2026-12-01' });
    expect(segment.ok ? {} : segment.errors).toEqual({ segment: expect.stringMatching(/attribute:value/) });
    expect(range.ok ? {} : range.errors).toEqual({ from: expect.stringMatching(/after/) });
  });
});

describe('the exported file', () => {
  const row = (over: Partial<ResponseRow>): ResponseRow => ({
    invitationId: 'i1',
    campaignId: 'c1',
    campaignName: 'Winter',
    score: 3,
    category: 'detractor',
    themes: ['delivery', 'price'],
    segments: {},
    firstAnsweredAt: '2026-12-01T10:00:00.000Z',
    answeredAt: '2026-12-01T10:00:00.000Z',
    ...over,
  });

  it('neutralizes formulas and lists the union of segment columns', () => {
    const csv = feedCsv([row({ comment: '=HYPERLINK("x")', segments: { plan: 'pro' } }), row({ invitationId: 'i2', segments: { region: 'eu' } })]);
    const [head, first, second] = csv.split('\r\n');
    expect(head).toBe('"invitationId","answeredAt","firstAnsweredAt","score","category","comment","campaignId","campaign","themes","plan","region"');
    expect(first).toContain(`"'=HYPERLINK(""x"")"`);
    expect(first).toContain('"delivery price","pro",""');
    expect(second).toMatch(/"","eu"$/);
  });

  it('has contact columns only when the rows carry contacts', () => {
    expect(feedCsv([row({ contact: { email: 'a@example.com' } })]).split('\r\n')[0]).toContain('"email"');
  });
});
