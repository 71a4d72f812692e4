import { beforeAll, describe, expect, inject, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, eventually, outbox, request } from '#test/integration/client';

/**
 * SMS replies that cross: a score and a comment texted at the same moment may reach the
 * handler in either order, or at once (SNS promises no order). Whatever the order, the score
 * is recorded once, the words become its comment, and the customer is asked at most once for
 * a number and at most once for a reason.
 */
interface Sms {
  readonly to: string;
  readonly body: string;
}

const FOLLOW_UP = 'What should we fix first?';
const REPROMPT = 'Please reply with one number from 0 to 10';
const COMMENT = 'The delivery was slow';

let dynamo: typeof import('#shared/aws/clients').dynamo;
let conversationKey: (phone: string) => { PK: string; SK: string };

beforeAll(async () => {
  // The shared modules read the table name from env, as in Lambda.
  Object.assign(process.env, inject('localEnv'));
  ({ dynamo } = await import('#shared/aws/clients'));
  const { keys } = await import('#shared/table/items');
  const { contactKey } = await import('#shared/core/contacts');
  conversationKey = (phone) => keys.conversation(contactKey('phone', phone));
});

let serial = 0;
/** A valid German mobile number unique to this run. */
const phone = () => `+49152${String(Date.now() % 1e5).padStart(5, '0')}${String(serial++).padStart(3, '0')}`;

/** A fixed-offset zone where it is about noon now, inside the default sending window. */
const noonZone = () => {
  const offset = ((12 - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
};

/** The texts sent to a phone, newest first. */
const texts = (to: string) => outbox<Sms>({ box: 'sms', to });

const reply = async (from: string, body: string) => {
  const res = await request('POST', '/local/sms/inbound', { body: { from, body } });
  expect(res.status).toBeLessThan(300);
};

/** An SMS campaign with one customer who has been sent the survey. */
const surveyed = async () => {
  const customer = phone();
  const created = await api('POST /v1/campaigns', {
    body: { name: 'Crossing', brand: 'Acme', channel: 'sms', throttleDays: 0, followUpQuestion: FOLLOW_UP },
  });
  const campaignId = created.body.id;
  await api('POST /v1/campaigns/{id}/recipients', { params: { id: campaignId }, body: { recipients: [{ phone: customer, timezone: noonZone() }] } });
  await eventually(async () => ((await texts(customer)).length === 1 ? true : undefined), { what: 'the survey text' });
  return { customer, campaignId };
};

const responsesOf = async (campaignId: string) =>
  (await api('GET /v1/responses', { query: { campaignId } })).body.items;

/** Waits until the campaign's one response carries a comment, and returns every response. */
const commented = (campaignId: string) =>
  eventually(async () => {
    const items = await responsesOf(campaignId);
    return items.some((r) => r.comment) ? items : undefined;
  }, { what: 'a response with its comment' });

/** Waits for the detractor's case to carry the comment, and returns every case of the campaign. */
const caseWithComment = (campaignId: string) =>
  eventually(async () => {
    const { items } = (await api('GET /v1/followups', { query: { campaignId } })).body;
    return items.some((c) => c.comment) ? items : undefined;
  }, { what: 'the case with its comment' });

/** Waits for the thank-you that ends the conversation, then counts what the customer was asked. */
const questionsTo = async (customer: string) => {
  const all = await eventually(async () => {
    const sent = await texts(customer);
    return sent.some((m) => m.body.includes('Thank you for your feedback')) ? sent : undefined;
  }, { what: 'the closing thank-you' });
  return {
    reprompts: all.filter((m) => m.body.includes(REPROMPT)).length,
    followUps: all.filter((m) => m.body.includes(FOLLOW_UP)).length,
  };
};

describe('SMS replies that cross', () => {
  it('keeps text that follows the score as its comment', async () => {
    const { customer, campaignId } = await surveyed();
    await reply(customer, '8');
    await eventually(async () => ((await texts(customer)).length === 2 ? true : undefined), { what: 'the follow-up question' });
    await reply(customer, COMMENT);
    expect(await commented(campaignId)).toEqual([expect.objectContaining({ score: 8, comment: COMMENT })]);
    expect(await questionsTo(customer)).toEqual({ reprompts: 0, followUps: 1 });
  });

  it('keeps text that came before the score and makes it the comment once the score lands', async () => {
    const { customer, campaignId } = await surveyed();
    await reply(customer, COMMENT);
    // the text alone is not an answer: the customer is asked once for the number
    await eventually(async () => ((await texts(customer)).some((m) => m.body.includes(REPROMPT)) ? true : undefined), { what: 'the re-prompt' });
    await reply(customer, '8');
    expect(await commented(campaignId)).toEqual([expect.objectContaining({ score: 8, comment: COMMENT })]);
    // the reason is known already: no follow-up question, only thanks
    expect(await questionsTo(customer)).toEqual({ reprompts: 1, followUps: 0 });
  });

  it('appends each text after the score to the comment', async () => {
    const { customer, campaignId } = await surveyed();
    await reply(customer, '9');
    await eventually(async () => ((await texts(customer)).length === 2 ? true : undefined), { what: 'the follow-up question' });
    await reply(customer, 'Fast delivery.');
    await questionsTo(customer);
    await reply(customer, 'Friendly courier too.');
    const appended = await eventually(async () => {
      const [response] = await responsesOf(campaignId);
      return response?.comment?.includes('Friendly') ? response : undefined;
    }, { what: 'the second text appended' });
    expect(appended).toMatchObject({ score: 9, comment: 'Fast delivery.\nFriendly courier too.' });
  });

  it.each(['score first', 'text first'])(
    'records one score with the comment, one case and at most one question each, when a detractor texts both at once (%s), again and again',
    async (order) => {
      for (let round = 0; round < 4; round++) {
        // GIVEN a customer who has the survey
        const { customer, campaignId } = await surveyed();
        // WHEN the score and the reason are texted at the same moment
        const messages = order === 'score first' ? ['3', COMMENT] : [COMMENT, '3'];
        await Promise.all(messages.map((body) => reply(customer, body)));
        // THEN exactly one response, with the score and the comment
        expect(await commented(campaignId)).toEqual([expect.objectContaining({ score: 3, comment: COMMENT })]);
        // AND exactly one case, which carries the comment
        expect(await caseWithComment(campaignId)).toEqual([expect.objectContaining({ score: 3, comment: COMMENT })]);
        // AND the customer was asked at most once for a number and at most once for a reason
        const asked = await questionsTo(customer);
        expect(asked.reprompts).toBeLessThanOrEqual(1);
        expect(asked.followUps).toBeLessThanOrEqual(1);
      }
    },
    120_000,
  );

  it('forgets words kept for a score that never came when the contact is erased', async () => {
    const { customer } = await surveyed();
    await reply(customer, COMMENT);
    await eventually(async () => ((await texts(customer)).some((m) => m.body.includes(REPROMPT)) ? true : undefined), { what: 'the re-prompt' });
    const conversation = async () =>
      (await dynamo.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: conversationKey(customer), ConsistentRead: true }))).Item;
    expect((await conversation())?.pendingText).toBe(COMMENT);
    const erased = await request('DELETE', '/v1/contacts', { body: { phone: customer } });
    expect(erased.status).toBe(200);
    expect((await conversation())?.pendingText).toBeUndefined();
  });
});
