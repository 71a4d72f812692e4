import { describe, expect, it } from 'vitest';
import { ErrorBody } from '#shared/contract/errors';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/**
 * The walking skeleton, end to end on the local runtime: campaign → e-mail → scanner-safe link
 * → answer → exact score → detractor follow-up and alert, then edits.
 */
interface OutboxEmail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
}
interface Alert {
  message: { campaignId?: string; score?: number; followupId?: string };
}

/** The e-mails sent to an address, newest first. */
const emailsTo = (address: string) => outbox<OutboxEmail>({ box: 'email', to: address });

const scoreLinks = (email: OutboxEmail) => [...email.html.matchAll(/href="([^"]+\?score=(\d+))"/g)].map((m) => m[1] ?? '');

const tokenOf = (email: OutboxEmail) => /\/s\/([^?"]+)\?score=/.exec(email.html)?.[1] ?? '';

const campaignScore = async (id: string) => (await api('GET /v1/campaigns/{id}/score', { params: { id } })).body;

const followupsOf = async (campaignId: string) => (await api('GET /v1/followups', { query: { campaignId } })).body.items;

const alertsOf = (campaignId: string) => outbox<Alert>({ box: 'alerts', campaignId });

const answer = (token: string, body: Record<string, unknown>) =>
  request('POST', `/s/${token}`, { body, auth: false, headers: { accept: 'application/json' } });

/** An answer through the JSON form of the survey POST, parsed with the contract. */
const answered = async (token: string, body: Record<string, unknown>) =>
  (await api('POST /s/{token}', { params: { token }, body, auth: false })).body;

const campaign = async (id: string) => (await api('GET /v1/campaigns/{id}', { params: { id } })).body;

describe('the email pipeline, end to end', () => {
  it('surveys three people, ignores scanners, counts exactly, and follows up the detractor once', async () => {
    // GIVEN a campaign with three e-mail recipients
    const created = await api('POST /v1/campaigns', { body: { name: 'Checkout survey', brand: 'Acme', channel: 'email' } });
    expect(created.status).toBe(201);
    const campaignId = created.body.id;
    const [ann, bob, cat] = [uniqueEmail('ann'), uniqueEmail('bob'), uniqueEmail('cat')];
    const added = await api('POST /v1/campaigns/{id}/recipients', {
      params: { id: campaignId },
      body: { recipients: [{ email: ann, name: 'Ann' }, { email: bob }, { email: cat }] },
    });
    expect(added).toMatchObject({ status: 202, body: { accepted: 3, skipped: [] } });

    // THEN each gets exactly one e-mail with 11 distinct score links and one-click unsubscribe
    const mails = await eventually(
      async () => {
        const found = await Promise.all([ann, bob, cat].map(emailsTo));
        return found.every((list) => list.length === 1) ? found.map((list) => list[0] as OutboxEmail) : undefined;
      },
      { what: 'three invitation e-mails' },
    );
    for (const mail of mails) {
      const links = scoreLinks(mail);
      expect(links).toHaveLength(11);
      expect(new Set(links).size).toBe(11);
      expect(mail.headers).toEqual(
        expect.arrayContaining([
          { name: 'List-Unsubscribe', value: expect.stringMatching(/^<http.*\/u\/.+>$/) },
          { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
        ]),
      );
    }
    const [annMail, bobMail, catMail] = mails as [OutboxEmail, OutboxEmail, OutboxEmail];
    await eventually(
      async () => {
        const { counts } = await campaign(campaignId);
        return counts.sent === 3 && counts.queued === 0 ? true : undefined;
      },
      { what: 'three sends counted' },
    );

    // WHEN a mail scanner fetches all 11 links of Ann's e-mail
    for (const link of scoreLinks(annMail)) {
      const page = await request('GET', link, { auth: false });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
    }
    // THEN no answer is recorded, only a click (counted from the table's stream)
    const clicked = await eventually(async () => {
      const { counts } = await campaign(campaignId);
      return counts.clicked > 0 ? counts : undefined;
    }, { what: 'the click counted' });
    expect(clicked).toMatchObject({ clicked: 1, responded: 0 });
    expect((await campaignScore(campaignId)).responses).toBe(0);

    // WHEN Ann answers 3 with a comment
    expect(await answered(tokenOf(annMail), { score: 3, comment: 'Delivery was late' })).toEqual({ recorded: true, score: 3, version: 1 });

    // THEN NPS −100 from one response, one case with the comment, one alert (bench/ measures
    // how fast; here the deadline only bounds the wait)
    await eventually(async () => ((await campaignScore(campaignId)).responses === 1 ? true : undefined), {
      what: 'the answer in the score',
    });
    const [cases, alerts] = await eventually(
      async () => {
        const [c, a] = await Promise.all([followupsOf(campaignId), alertsOf(campaignId)]);
        return c.length === 1 && a.length === 1 ? ([c, a] as const) : undefined;
      },
      { what: 'one case and one alert' },
    );
    expect(await campaignScore(campaignId)).toMatchObject({ nps: -100, responses: 1, detractors: 1 });
    expect(cases[0]).toMatchObject({ score: 3, comment: 'Delivery was late', status: 'open', contact: { email: ann } });
    expect(alerts[0]?.message).toMatchObject({ score: 3, followupId: cases[0]?.id });

    // WHEN Bob answers 10 and Cat answers 8 (a form post, as a browser sends it)
    expect(await answered(tokenOf(bobMail), { score: 10 })).toMatchObject({ recorded: true, score: 10 });
    const form = await request('POST', `/s/${tokenOf(catMail)}`, {
      raw: 'score=8&comment=',
      auth: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(200);
    expect(form.text).toContain('Thank you');

    // THEN NPS is 0 from 1/1/1, with an interval around 0
    const even = await eventually(async () => {
      const s = await campaignScore(campaignId);
      return s.responses === 3 ? s : undefined;
    });
    expect(even).toMatchObject({ nps: 0, promoters: 1, passives: 1, detractors: 1 });
    expect(even.ci95?.low).toBeLessThan(0);
    expect(even.ci95?.high).toBeGreaterThan(0);
    expect((even.ci95?.low ?? 0) + (even.ci95?.high ?? 0)).toBeCloseTo(0, 5);

    // WHEN Ann changes her 3 to a 9
    expect(await answered(tokenOf(annMail), { score: 9 })).toEqual({ recorded: true, score: 9, version: 2 });

    // THEN NPS is 66.7, the one case shows the new score, and no second case or alert appears
    const edited = await eventually(async () => {
      const s = await campaignScore(campaignId);
      return s.nps === 66.7 ? s : undefined;
    });
    expect(edited).toMatchObject({ responses: 3, promoters: 2, passives: 1, detractors: 0 });
    await eventually(async () => ((await followupsOf(campaignId))[0]?.score === 9 ? true : undefined), {
      what: 'the case to follow the edit',
    });
    expect(await followupsOf(campaignId)).toHaveLength(1);
    expect(await alertsOf(campaignId)).toHaveLength(1);

    // AND the overall score includes this campaign's answers
    const overall = await api('GET /v1/score');
    expect(overall.body.responses).toBeGreaterThanOrEqual(3);
  });
});

describe('what a client sends never breaks the API', () => {
  it('answers a forged or unknown token with 404', async () => {
    expect((await request('GET', `/s/${'A'.repeat(22)}.${'B'.repeat(22)}`, { auth: false })).status).toBe(404);
    expect((await request('GET', '/s/nonsense', { auth: false })).status).toBe(404);
    expect((await answer(`${'A'.repeat(22)}.${'B'.repeat(22)}`, { score: 5 })).status).toBe(404);
  });

  it('answers a score of 11 with 400', async () => {
    const { id } = (await api('POST /v1/campaigns', { body: { name: 'x', brand: 'b', channel: 'email' } })).body;
    const email = uniqueEmail('dan');
    await request('POST', `/v1/campaigns/${id}/recipients`, { body: { recipients: [{ email }] } });
    const mail = await eventually(async () => (await emailsTo(email))[0]);
    const res = await answer(tokenOf(mail), { score: 11 });
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(res.body)).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('answers a request without an API key with 401', async () => {
    expect((await request('GET', '/v1/campaigns', { auth: false })).status).toBe(401);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await request('POST', '/v1/campaigns', { raw: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(res.body)).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('never answers 5xx to junk', async () => {
    const junk: [string, string, string | undefined][] = [
      ['POST', '/v1/campaigns', '[]'],
      ['POST', '/v1/campaigns', 'null'],
      ['POST', '/v1/campaigns', '"x"'],
      ['POST', '/v1/campaigns', JSON.stringify({ name: 'a'.repeat(10_000), brand: 'b', channel: 'email' })],
      ['POST', '/v1/campaigns/%00/recipients', '{}'],
      ['GET', '/v1/campaigns?limit=-1', undefined],
      ['GET', '/v1/campaigns?cursor=%7B%22PK%22', undefined],
      ['GET', '/v1/campaigns/does-not-exist/score', undefined],
      ['GET', '/v1/followups?status=lost', undefined],
      ['POST', '/s/x.y', 'score=5'],
      ['GET', '/s/%E0%A4%A', undefined],
      ['GET', '/u/whatever', undefined],
    ];
    for (const [method, path, raw] of junk) {
      const res = await request(method, path, { raw, headers: { 'content-type': 'application/json' } });
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  });
});
