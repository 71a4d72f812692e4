import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ResponseItem } from '#shared/table/items';
import { ErrorBody } from '#shared/contract/errors';
import type { Score } from '#shared/contract/scores';
import { api, request } from '#test/integration/client';
import { responseItem, streamRecord } from '#test/fixtures/stream-record';
import { context } from '#test/fixtures/http-event';

/**
 * Score ranges through the admin API. A response's day is the day of its first answer, which
 * through the API is always today; so responses on chosen past days are counted by calling the
 * score counter directly with stream records, as the stream would deliver them.
 */
let countScores: typeof import('#functions/count-scores').handler;
let category: typeof import('#shared/core/nps').category;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ handler: countScores } = await import('#functions/count-scores'));
  ({ category } = await import('#shared/core/nps'));
});

/** The counts of a score, without the figures computed from them. */
type Figures = Omit<Score, 'nps' | 'ci95'>;

const newCampaign = async () =>
  (
    await api('POST /v1/campaigns', {
      body: { name: 'Ranges', brand: 'Acme', channel: 'email', segments: ['plan', 'region'] },
    })
  ).body.id;

const DAYS = ['2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'];
const PLANS = ['free', 'pro', 'team'];

/** 60 responses of one campaign spread over DAYS, a third of them edited later, counted by the stream consumer. */
const countResponsesOnDays = async (campaignId: string) => {
  const responses = new Map<string, ResponseItem>();
  const records: DynamoDBRecord[] = [];
  let sequence = 9n * 10n ** 20n + BigInt(Date.now()) * 1000n;
  const put = (before: ResponseItem | undefined, after: ResponseItem) => {
    responses.set(after.invitationId, after);
    records.push(streamRecord(String((sequence += 10n)), before, after));
  };
  for (let i = 0; i < 60; i++) {
    const id = `${campaignId}-r${i}`;
    const day = DAYS[(i * 7) % DAYS.length] ?? '';
    put(undefined, responseItem({
      PK: `INV#${id}`,
      invitationId: id,
      campaignId,
      score: (i * 5) % 11,
      day,
      firstAnsweredAt: `${day}T12:00:00.000Z`,
      answeredAt: `${day}T12:00:00.000Z`,
      segments: { plan: PLANS[i % 3] ?? 'free', region: i % 4 === 0 ? 'us' : 'eu' },
    }));
  }
  for (const before of [...responses.values()].filter((_, i) => i % 3 === 0)) {
    put(before, { ...before, score: (before.score + 4) % 11, version: before.version + 1 });
  }
  for (let i = 0; i < records.length; i += 25) {
    const result = await countScores({ Records: records.slice(i, i + 25), shardId: `ranges-${campaignId}` }, context);
    expect(result.batchItemFailures).toEqual([]);
  }
  return [...responses.values()];
};

/** The ground truth: the responses first given in [from, to], recounted by segment value. */
const recount = (responses: readonly ResponseItem[], from: string, to: string) => {
  const segments: Record<string, Record<string, Figures>> = {};
  const inRange = responses.filter((r) => r.day >= from && r.day <= to);
  for (const r of inRange) {
    for (const [attribute, value] of Object.entries(r.segments)) {
      const figures = ((segments[attribute] ??= {})[value] ??= { responses: 0, promoters: 0, passives: 0, detractors: 0 });
      figures.responses += 1;
      figures[`${category(r.score)}s`] += 1;
    }
  }
  return { responses: inRange.length, segments };
};

const counts = (segments: Record<string, Record<string, Figures>>) =>
  Object.fromEntries(
    Object.entries(segments).map(([attribute, values]) => [
      attribute,
      Object.fromEntries(
        Object.entries(values).map(([value, f]) => [value, { responses: f.responses, promoters: f.promoters, passives: f.passives, detractors: f.detractors }]),
      ),
    ]),
  );

describe('score dates', () => {
  it.each(['2026-13-45', '2026-02-30', '2026-02-29', '2026-04-31'])('answers 400 to the impossible day %s on /v1/score', async (day) => {
    const res = await request('GET', `/v1/score?from=${day}`);
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(res.body).error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/^from: use a real calendar day/) });
  });

  it('answers 400 to an impossible day on a campaign score', async () => {
    const id = await newCampaign();
    const res = await request('GET', `/v1/campaigns/${id}/score?from=2026-02-01&to=2026-02-30`);
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(res.body).error.message).toMatch(/^to: use a real calendar day/);
  });

  it('reads a leap day', async () => {
    expect((await api('GET /v1/score', { query: { from: '2024-02-29', to: '2024-02-29' } })).body).toMatchObject({ from: '2024-02-29', to: '2024-02-29' });
  });
});

describe('score segments over a range', () => {
  it('count only the responses first given inside the range, like the totals and days', async () => {
    // GIVEN responses on six days, some edited, counted by the stream consumer
    const id = await newCampaign();
    const responses = await countResponsesOnDays(id);
    // WHEN the score is read for three of the days
    const res = await api('GET /v1/campaigns/{id}/score', { params: { id }, query: { from: '2026-10-30', to: '2026-11-01' } });
    // THEN the segments equal a recount of those days' responses, as the total does
    const truth = recount(responses, '2026-10-30', '2026-11-01');
    expect(res.status).toBe(200);
    expect(truth.responses).toBeGreaterThan(0);
    expect(truth.responses).toBeLessThan(responses.length);
    expect(res.body.responses).toBe(truth.responses);
    expect(counts(res.body.segments)).toEqual(truth.segments);
  });

  it('count one attribute only over the range when a segment is asked for, and nothing outside any day counted', async () => {
    const id = await newCampaign();
    const responses = await countResponsesOnDays(id);
    const one = await api('GET /v1/campaigns/{id}/score', { params: { id }, query: { from: '2026-11-02', segment: 'plan' } });
    expect(counts(one.body.segments)).toEqual({ plan: recount(responses, '2026-11-02', '9999-12-31').segments.plan });
    const none = await api('GET /v1/campaigns/{id}/score', { params: { id }, query: { from: '2026-11-20', to: '2026-11-30' } });
    expect(none.body).toMatchObject({ responses: 0, days: [], segments: {} });
  });

  it('agree with the all-time segments when the range covers every day', async () => {
    const id = await newCampaign();
    const responses = await countResponsesOnDays(id);
    const allTime = await api('GET /v1/campaigns/{id}/score', { params: { id } });
    const covering = await api('GET /v1/campaigns/{id}/score', { params: { id }, query: { from: '2026-01-01', to: '2026-12-31' } });
    expect(counts(allTime.body.segments)).toEqual(recount(responses, '0000-01-01', '9999-12-31').segments);
    expect(counts(covering.body.segments)).toEqual(counts(allTime.body.segments));
  });
});
