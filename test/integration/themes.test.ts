import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ErrorBody } from '#shared/contract/errors';
import { defaultThemes } from '#shared/core/default-themes';
import type { ThemeImpactReport } from '#shared/contract/themes';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/**
 * Comment themes end to end on the local runtime: answers are tagged as they are recorded, the
 * stream counts them, the impact table reads the counts; a theme change re-tags stored comments
 * in the background and the counts follow. The re-tag job is run here directly, with a clock
 * past its settling time, instead of waiting for the schedule.
 */
let runRetag: typeof import('#shared/app/themes').runRetag;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ runRetag } = await import('#shared/app/themes'));
});

/** Runs the re-tag to its end, as the schedule would, minutes from now. */
const retagToTheEnd = async () => {
  const later = () => new Date(Date.now() + 10 * 60_000);
  for (let run = 0; run < 50; run++) {
    const result = await runRetag({ now: later, timeLeftMs: () => 10_000, leaseMs: 60_000 });
    if (result.done || !result.ran) return;
  }
};

afterAll(async () => {
  // Leave the default themes in force, re-tagged, for whatever runs next.
  await api('PUT /v1/themes', { body: { themes: defaultThemes } });
  await retagToTheEnd();
});

const tokenOf = (html: string) => /\/s\/([^?"]+)\?score=/.exec(html)?.[1] ?? '';

const impact = async (campaignId: string, query: Record<string, string> = {}) =>
  (await api('GET /v1/themes/impact', { query: { campaignId, ...query } })).body;

const mentions = (report: ThemeImpactReport, id: string) => {
  const { promoters, passives, detractors } = report.themes.find((t) => t.id === id)?.mentions ?? { promoters: 0, passives: 0, detractors: 0 };
  return { promoters, passives, detractors };
};

describe('comment themes', () => {
  it('tags answers as they arrive and shows what each theme costs, by segment too', async () => {
    // GIVEN an English campaign, with a plan segment, sent to four people
    const campaignId = (await api('POST /v1/campaigns', { body: { name: 'Themes', brand: 'Acme', channel: 'email', segments: ['plan'] } })).body.id;
    const people = ['ann', 'bob', 'cat', 'dan'].map((n) => uniqueEmail(n));
    await api('POST /v1/campaigns/{id}/recipients', {
      params: { id: campaignId },
      body: { recipients: people.map((email, i) => ({ email, attributes: { plan: i < 2 ? 'pro' : 'free' } })) },
    });
    const tokens = await eventually(
      async () => {
        const mails = await Promise.all(people.map((to) => outbox<{ html: string }>({ box: 'email', to })));
        return mails.every((m) => m.length === 1) ? mails.map((m) => tokenOf(m[0]?.html ?? '')) : undefined;
      },
      { what: 'four invitation e-mails' },
    );
    // WHEN they answer: a late delivery, a rude courier in Russian, a good price, and no comment
    const answers = [
      { score: 2, comment: 'delivry took three weeks!!' },
      { score: 3, comment: 'курьер нахамил' },
      { score: 10, comment: 'great price' },
      { score: 9 },
    ];
    for (const [i, body] of answers.entries()) {
      const reply = await request('POST', `/s/${tokens[i]}`, { body, auth: false, headers: { accept: 'application/json' } });
      expect(reply.status).toBe(200);
    }
    // THEN each theme counts its mentions by category, once the stream has counted them
    const report = await eventually(async () => {
      const read = await impact(campaignId);
      return read.overall.responses === 4 && mentions(read, 'price').promoters === 1 ? read : undefined;
    }, { what: 'four answers counted' });
    expect(mentions(report, 'delivery')).toEqual({ promoters: 0, passives: 0, detractors: 2 });
    expect(mentions(report, 'staff')).toEqual({ promoters: 0, passives: 0, detractors: 1 });
    expect(mentions(report, 'support')).toEqual({ promoters: 0, passives: 0, detractors: 0 });
    // Overall NPS is 0 (2 promoters, 2 detractors); without the delivery answers it is 100.
    const delivery = report.themes.find((t) => t.id === 'delivery');
    expect(delivery?.mentions.nps).toBe(-100);
    expect(delivery?.pointsCost?.delta).toBe(100);
    expect(report.themes[0]?.id).toBe('delivery');
    // AND the pro segment alone holds the first two answers
    const pro = await impact(campaignId, { segment: 'plan:pro' });
    expect(pro.overall.responses).toBe(2);
    expect(mentions(pro, 'delivery')).toEqual({ promoters: 0, passives: 0, detractors: 2 });
    expect(mentions(pro, 'price')).toEqual({ promoters: 0, passives: 0, detractors: 0 });
    // AND the response feed shows the themes and filters by one
    const feed = await api('GET /v1/responses', { query: { campaignId, theme: 'staff' } });
    expect(feed.body.items.map((r) => r.comment)).toEqual(['курьер нахамил']);
    expect(feed.body.items[0]?.themes).toEqual(['delivery', 'staff']);
  });

  it('re-tags stored comments after a theme change, and the counts follow exactly', async () => {
    // GIVEN a counted, tagged answer about a late parcel
    const campaignId = (await api('POST /v1/campaigns', { body: { name: 'Retag', brand: 'Acme', channel: 'email' } })).body.id;
    const to = uniqueEmail('eve');
    await api('POST /v1/campaigns/{id}/recipients', { params: { id: campaignId }, body: { recipients: [{ email: to }] } });
    const token = await eventually(async () => {
      const mails = await outbox<{ html: string }>({ box: 'email', to });
      return mails[0] ? tokenOf(mails[0].html) : undefined;
    }, { what: 'an invitation e-mail' });
    await request('POST', `/s/${token}`, { body: { score: 4, comment: 'the parcel was late and the box was wet' }, auth: false });
    await eventually(async () => (mentions(await impact(campaignId), 'delivery').detractors === 1 ? true : undefined), { what: 'the delivery mention counted' });

    // WHEN an admin replaces the themes: delivery is gone, and "packaging" knows boxes
    const put = await api('PUT /v1/themes', {
      body: {
        themes: [
          { id: 'packaging', name: { en: 'Packaging', ru: 'Упаковка' }, keywords: { en: ['box', 'packaging'], ru: ['коробка', 'упаковк*'] } },
          ...defaultThemes.filter((t) => t.id !== 'delivery'),
        ],
      },
    });
    expect(put.body.retag).toMatchObject({ status: 'waiting', checked: 0 });
    expect((await api('GET /v1/themes')).body.version).toBe(put.body.version);
    await retagToTheEnd();

    // THEN the comment now counts under packaging, and no longer under delivery
    const report = await eventually(async () => {
      const read = await impact(campaignId);
      return mentions(read, 'packaging').detractors === 1 ? read : undefined;
    }, { what: 'the packaging mention counted' });
    expect(report.themes.map((t) => t.id)).not.toContain('delivery');
    expect(report.overall.responses).toBe(1);
    const { body: themes } = await api('GET /v1/themes');
    expect(themes.retag).toMatchObject({ version: put.body.version, status: 'done' });
    expect(themes.retag?.retagged).toBeGreaterThanOrEqual(1);
    // AND the detractor's follow-up case follows the re-tag, named by the new set
    const [retagged] = await eventually(async () => {
      const { items } = (await api('GET /v1/followups', { query: { campaignId, theme: 'packaging' } })).body;
      return items.length ? items : undefined;
    }, { what: 'the case filed under packaging' });
    expect(retagged?.themes).toContainEqual({ id: 'packaging', name: 'Packaging' });
    expect(retagged?.themes?.map((t) => t.id)).not.toContain('delivery');
    // AND a second run of the finished job writes nothing
    expect(await runRetag({ now: () => new Date(Date.now() + 3_600_000), timeLeftMs: () => 10_000, leaseMs: 60_000 })).toMatchObject({ ran: false });
  });

  it('refuses a theme set with the same id twice, and changes nothing', async () => {
    const before = (await api('GET /v1/themes')).body.version;
    const theme = { id: 'price', name: { en: 'Price', ru: 'Цена' }, keywords: { en: ['price'], ru: ['цена'] } };
    const reply = await request('PUT', '/v1/themes', { body: { themes: [theme, theme] } });
    expect(reply.status).toBe(400);
    expect(ErrorBody.parse(reply.body).error.message).toMatch(/listed twice/);
    expect((await api('GET /v1/themes')).body.version).toBe(before);
  });

  it('answers a bad segment or an unknown campaign with a clear 4xx', async () => {
    expect((await request('GET', '/v1/themes/impact?segment=plan')).status).toBe(400);
    expect((await request('GET', '/v1/themes/impact?campaignId=01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
  });
});
