import { beforeAll, describe, expect, inject, it } from 'vitest';
import { getCountry } from 'countries-and-timezones';
import { api, eventually, outbox, request } from '#test/integration/client';
import { MAX_SQS_DELAY_SECONDS } from '#shared/app/holding';

/**
 * The SMS conversation on the local runtime, as a customer texts it: invitation inside the
 * local window, a re-prompt, a score, the follow-up question, the comment, STOP, quiet hours.
 */
interface Sms {
  to: string;
  body: string;
}

let serial = 0;
/** A valid German mobile number unique to this run (each test uses its own). */
const phone = () => `+49151${String(Date.now() % 1e5).padStart(5, '0')}${String(serial++).padStart(3, '0')}`;

/** A fixed-offset zone where the local time is now about `hour` o'clock. */
const zoneAt = (hour: number) => {
  const offset = ((hour - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
};

/** A valid San Francisco (+1 415) number unique to this run. */
const sanFrancisco = () => `+1415${String(200 + (Date.now() % 800))}${String(1000 + (serial++ % 9000))}`;

/** Whether the local clock reads 09:00–20:00 in every zone of the US, checked zone by zone. */
const daytimeAllOverUs = (at: number) =>
  (getCountry('US')?.timezones ?? []).every((timeZone) => {
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(at));
    return hour >= 9 && hour < 20;
  });

let storedDueAt: (phone: string) => Promise<string | undefined>;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  const [{ queryAll }, { tableName }, { contactKey }, { gsi1 }] = await Promise.all([
    import('#shared/table/query'),
    import('#shared/aws/config'),
    import('#shared/core/contacts'),
    import('#shared/table/items'),
  ]);
  storedDueAt = async (phone) => {
    const [invitation] = await queryAll({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.contactInvitations(contactKey('phone', phone)) },
    });
    return typeof invitation?.dueAt === 'string' ? invitation.dueAt : undefined;
  };
});

/** The texts sent to a phone, newest first. */
const texts = (to: string) => outbox<Sms>({ box: 'sms', to });

const reply = (from: string, body: string, messageId?: string) =>
  request('POST', '/local/sms/inbound', { body: { from, body, ...(messageId ? { messageId } : {}) } });

const smsCampaign = async (extra: Record<string, unknown> = {}) => {
  const created = await api('POST /v1/campaigns', {
    body: { name: 'SMS', brand: 'Acme', channel: 'sms', throttleDays: 0, ...extra },
  });
  // The standard English invitation with a short brand fits one GSM-7 segment, and says so.
  expect(created.body.smsPreview).toMatchObject({ encoding: 'GSM-7', segments: 1, text: expect.stringContaining('Acme') });
  return created.body.id;
};

const counts = async (id: string) =>
  (await api('GET /v1/campaigns/{id}', { params: { id } })).body.counts;

/** Until the stream has counted the campaign's one invitation (within moments of the import). */
const counted = (id: string) => eventually(async () => ((await counts(id)).recipients === 1 ? true : undefined), { what: 'the invitation counted' });

/** Waits for the nth text to a phone. */
const nthText = (to: string, n: number) =>
  eventually(async () => (await texts(to)).at(-n), { what: `text #${n} to ${to}` });

describe('two-way SMS surveys', () => {
  it('runs the whole conversation and honors STOP', async () => {
    // GIVEN an SMS campaign with two valid phones in daytime and one invalid number
    const [ann, ivan] = [phone(), phone()];
    const id = await smsCampaign();
    const added = await api('POST /v1/campaigns/{id}/recipients', {
      params: { id },
      body: {
        recipients: [
          { phone: ann, timezone: zoneAt(12) },
          { phone: 'not a phone' },
          { phone: ivan, timezone: zoneAt(13), locale: 'ru' },
        ],
      },
    });
    expect(added.body.accepted).toBe(2);
    expect(added.body.skipped).toEqual([{ index: 1, reason: expect.stringContaining('invalid') }]);

    // THEN the invitation names the brand and the 0–10 scale
    const invitation = await nthText(ann, 1);
    expect(invitation.body).toContain('Acme');
    expect(invitation.body).toMatch(/0.*10/);

    // WHEN Ann answers "maybe later" THEN exactly one re-prompt, and no response
    await reply(ann, 'maybe later');
    const reprompt = await nthText(ann, 2);
    await reply(ann, 'not sure');
    await reply(ann, 'hmm');
    expect(reprompt.body).toContain('0');

    // WHEN Ann answers "4/10", delivered twice with the same message id
    await reply(ann, '4/10', 'in-4');
    await reply(ann, '4/10', 'in-4');
    // THEN a detractor is recorded once and the follow-up question goes out once
    const followUp = await nthText(ann, 3);
    expect(followUp.body.toLowerCase()).toContain('reason');
    const score = await eventually(async () => {
      const s = (await api('GET /v1/campaigns/{id}/score', { params: { id } })).body;
      return s.responses === 1 ? s : undefined;
    });
    expect(score.detractors).toBe(1);
    // the re-prompts after the first were swallowed, and the duplicate changed nothing
    expect(await texts(ann)).toHaveLength(3);

    // WHEN Ann texts her reason THEN it is the comment on the response and on the case
    await reply(ann, 'Delivery took two weeks');
    await nthText(ann, 4);
    const kase = await eventually(async () => {
      const { items } = (await api('GET /v1/followups', { query: { campaignId: id } })).body;
      return items[0]?.comment ? items : undefined;
    });
    expect(kase).toEqual([expect.objectContaining({ score: 4, comment: 'Delivery took two weeks' })]);
    const responses = (await api('GET /v1/responses', { query: { campaignId: id } })).body.items;
    expect(responses.map((r) => r.comment)).toContain('Delivery took two weeks');

    // WHEN Ivan (ru) answers "девять" THEN a promoter is recorded
    await nthText(ivan, 1);
    await reply(ivan, 'девять');
    await eventually(async () => {
      const s = (await api('GET /v1/campaigns/{id}/score', { params: { id } })).body;
      return s.promoters === 1 ? true : undefined;
    });

    // WHEN Ann texts STOP THEN a new campaign skips her as opted out
    await reply(ann, 'Stop');
    await nthText(ann, 5);
    const next = await smsCampaign();
    const again = await api('POST /v1/campaigns/{id}/recipients', {
      params: { id: next },
      body: { recipients: [{ phone: ann, timezone: zoneAt(12) }] },
    });
    expect(again.body.skipped).toEqual([{ index: 0, reason: 'opted_out' }]);
  });

  it('holds an SMS for a phone whose local time is night', async () => {
    const night = phone();
    const id = await smsCampaign();
    await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: [{ phone: night, timezone: zoneAt(3) }] } });
    await counted(id);
    expect(await counts(id)).toMatchObject({ sent: 0, scheduled: 1 });
    // A daytime send in the same run proves the sender is running while this one waits.
    const day = phone();
    const other = await smsCampaign();
    await api('POST /v1/campaigns/{id}/recipients', { params: { id: other }, body: { recipients: [{ phone: day, timezone: zoneAt(12) }] } });
    await nthText(day, 1);
    expect(await texts(night)).toHaveLength(0);
    expect(await counts(id)).toMatchObject({ sent: 0, scheduled: 1 });
  });

  it('holds a text to a +1 415 number with no time zone until it is 09:00–20:00 in every US zone', async () => {
    // GIVEN an SMS campaign with no time zone, and a San Francisco number with none
    const sf = sanFrancisco();
    const id = await smsCampaign();
    const now = Date.now();
    const added = await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: [{ phone: sf }] } });
    expect(added.body.accepted).toBe(1);

    if (daytimeAllOverUs(now)) {
      // THEN in the hours that are daytime from New York to Honolulu, it goes out at once
      await nthText(sf, 1);
      return;
    }
    // THEN otherwise it is held, due at the first minute that is daytime in every US zone
    let opens = Math.ceil(now / 60_000) * 60_000;
    while (!daytimeAllOverUs(opens)) opens += 60_000;
    expect(await storedDueAt(sf)).toBe(new Date(opens).toISOString());
    // Within a queue's longest delay of the window it waits on the queue as a delayed message
    // instead of in the holding table, so it is not counted as scheduled (18:45–19:00 UTC, say).
    const onTheQueue = opens - now <= MAX_SQS_DELAY_SECONDS * 1000;
    const scheduled = onTheQueue ? 0 : 1;
    await counted(id);
    expect(await counts(id)).toMatchObject({ sent: 0, scheduled });
    // ... and stays unsent while a daytime text in the same run goes out
    const day = phone();
    const other = await smsCampaign();
    await api('POST /v1/campaigns/{id}/recipients', { params: { id: other }, body: { recipients: [{ phone: day, timezone: zoneAt(12) }] } });
    await nthText(day, 1);
    // (unless the window has opened meanwhile, which a delayed message may then meet)
    if (Date.now() < opens - 5_000) {
      expect(await texts(sf)).toHaveLength(0);
      expect(await counts(id)).toMatchObject({ sent: 0, scheduled });
    }
  });

  it('skips, with the reason, a phone whose country has no hour inside the window in all its zones', async () => {
    // GIVEN a four-hour night window, shorter than the six hours from New York to Honolulu
    const id = await smsCampaign({ sendWindow: { start: '22:00', end: '02:00' } });
    const added = await api('POST /v1/campaigns/{id}/recipients', {
      params: { id },
      body: { recipients: [{ phone: sanFrancisco() }, { phone: sanFrancisco(), timezone: 'America/Los_Angeles' }] },
    });
    // THEN the number with no zone is skipped as no_send_window; the one with a zone is accepted
    expect(added.body).toEqual({ accepted: 1, skipped: [{ index: 0, reason: 'no_send_window' }] });
    const campaign = (await api('GET /v1/campaigns/{id}', { params: { id } })).body;
    expect(campaign.counts.skipped).toEqual({ no_send_window: 1 });
  });
});
