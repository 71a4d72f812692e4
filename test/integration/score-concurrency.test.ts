import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Score } from '#shared/contract/scores';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';
import type { ResponseItem } from '#shared/table/items';

/**
 * Concurrent answers and edits through the public API, against the whole local pipeline:
 * the score must equal a recount of the responses table, to the unit, and stay there.
 */
let findResponse: (invitationId: string) => Promise<ResponseItem | undefined>;
let category: typeof import('#shared/core/nps').category;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ findResponse } = await import('#shared/app/responses'));
  ({ category } = await import('#shared/core/nps'));
});


const PLANS = ['free', 'pro', 'team'];

const campaignWith = async (count: number) => {
  const { id } = (
    await api('POST /v1/campaigns', {
      body: { name: 'Concurrency', brand: 'Acme', channel: 'email', segments: ['plan', 'region'] },
    })
  ).body;
  const people = Array.from({ length: count }, (_, i) => ({
    email: uniqueEmail(`c${i}`),
    attributes: { plan: PLANS[i % 3] ?? 'free', region: i % 2 ? 'us' : 'eu' },
  }));
  expect((await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: people } })).body).toMatchObject({
    accepted: count,
  });
  const tokens = await eventually(
    async () => {
      const mails = await Promise.all(people.map((p) => outbox<{ html: string }>({ box: 'email', to: p.email })));
      const found = mails.map((sent) => /\/s\/([^?"]+)\?score=/.exec(sent[0]?.html ?? '')?.[1]);
      return found.every(Boolean) ? (found as string[]) : undefined;
    },
    { timeoutMs: 30_000, what: `${count} invitation e-mails` },
  );
  return { id, people, tokens };
};

const answer = (token: string, score: number) =>
  request('POST', `/s/${token}`, { body: { score }, auth: false, headers: { accept: 'application/json' } });

/** The ground truth: every response item of these invitations, recounted. */
const recount = async (tokens: readonly string[], plans: readonly string[]) => {
  const responses = await Promise.all(tokens.map((t) => findResponse(t.split('.')[0] ?? '')));
  const tally = (pick: (i: number) => boolean) => {
    const chosen = responses.filter((r, i): r is ResponseItem => r !== undefined && pick(i));
    const count = (c: string) => chosen.filter((r) => category(r.score) === c).length;
    return { responses: chosen.length, promoters: count('promoter'), passives: count('passive'), detractors: count('detractor') };
  };
  return {
    total: tally(() => true),
    plan: Object.fromEntries(PLANS.map((p) => [p, tally((i) => plans[i] === p)])),
  };
};

const score = async (id: string) => (await api('GET /v1/campaigns/{id}/score', { params: { id }, query: { segment: 'plan' } })).body;

const counts = (s: Score) => ({ responses: s.responses, promoters: s.promoters, passives: s.passives, detractors: s.detractors });

describe('scores under concurrent answers and edits', () => {
  it('equals a recount after 60 people answer at once while 30 answers race on one invitation', async () => {
    // GIVEN 61 invited people on plans free / pro / team
    const { id, people, tokens } = await campaignWith(61);
    const raced = tokens[60] ?? '';
    // WHEN 60 answer concurrently and 30 answers race on the 61st
    const replies = await Promise.all([
      ...tokens.slice(0, 60).map((t, i) => answer(t, i % 11)),
      ...Array.from({ length: 30 }, (_, i) => answer(raced, (i * 7) % 11)),
    ]);
    expect(replies.every((r) => r.status === 200)).toBe(true);

    // THEN once settled the score equals the recount: exactly one response for the raced invitation
    const truth = await recount(tokens, people.map((p) => p.attributes.plan));
    expect(truth.total.responses).toBe(61);
    const settled = await eventually(
      async () => {
        const s = await score(id);
        return JSON.stringify(counts(s)) === JSON.stringify(truth.total) ? s : undefined;
      },
      { timeoutMs: 20_000, what: 'the score to equal the recount' },
    );
    const { promoters: p, detractors: d, responses: n } = truth.total;
    expect(settled.nps).toBeCloseTo((100 * (p - d)) / n, 1);
    const half = 1.96 * 100 * Math.sqrt((p / n + d / n - (p / n - d / n) ** 2) / n);
    expect(((settled.ci95?.high ?? 0) - (settled.ci95?.low ?? 0)) / 2).toBeCloseTo(half, 0);
    for (const plan of PLANS) expect(counts(settled.segments.plan?.[plan] ?? settled)).toEqual(truth.plan[plan]);

    // AND it stays there: a later answer elsewhere is counted with no late double counting here
    const sentinel = await campaignWith(1);
    await answer(sentinel.tokens[0] ?? '', 10);
    await eventually(async () => ((await score(sentinel.id)).responses === 1 ? true : undefined), { what: 'the sentinel' });
    expect(counts(await score(id))).toEqual(truth.total);
    const overall = (await api('GET /v1/score')).body;
    expect(overall.responses).toBeGreaterThanOrEqual(62);
  });

  it('equals a recount after 50 concurrent edits of one response', async () => {
    const { id, tokens } = await campaignWith(1);
    const token = tokens[0] ?? '';
    await Promise.all(Array.from({ length: 50 }, (_, i) => answer(token, i % 11)));
    const truth = await recount(tokens, ['free']);
    expect(truth.total.responses).toBe(1);
    await eventually(
      async () => (JSON.stringify(counts(await score(id))) === JSON.stringify(truth.total) ? true : undefined),
      { timeoutMs: 20_000, what: 'the edited score to equal the recount' },
    );
  });
});
