import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/**
 * An opt-out or a suppression reaches the invitations already on their way: the unsubscribe
 * link, an SMS STOP and a hard bounce each stop an invitation that is queued but not yet sent,
 * START lets a later campaign reach the phone again, an opt-out that lands during an import is
 * honoured, and the one-off migration stamps and marks opt-outs written before stamps.
 */
interface OutboxEmail {
  to: string[];
  html: string;
}
interface Sms {
  to: string;
  body: string;
}

let serial = 0;
/** A valid German mobile number unique to this run. */
const phone = () => `+49152${String(Date.now() % 1e5).padStart(5, '0')}${String(serial++).padStart(3, '0')}`;
/** A fixed-offset zone where the local time is now about noon, so a text may go out at once. */
const noonZone = () => {
  const offset = ((12 - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
};

const emailsTo = (address: string) => outbox<OutboxEmail>({ box: 'email', to: address });
const textsTo = (to: string) => outbox<Sms>({ box: 'sms', to });
const counts = async (id: string) => (await api('GET /v1/campaigns/{id}', { params: { id } })).body.counts;

const campaign = async (body: Record<string, unknown>) =>
  (await api('POST /v1/campaigns', { body: { name: 'Blocks', brand: 'Acme', channel: 'email', throttleDays: 0, ...body } })).body.id;

/** A campaign whose invitations wait on the queue for `seconds` before they are sent. */
const sendingIn = (seconds: number, body: Record<string, unknown> = {}) => campaign({ sendAt: new Date(Date.now() + seconds * 1000).toISOString(), ...body });

const add = async (id: string, recipients: Record<string, unknown>[]) => (await api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients } })).body;

const reply = (from: string, body: string) => request('POST', '/local/sms/inbound', { body: { from, body } });

type Table = {
  tableName: () => string;
  dynamo: typeof import('#shared/aws/clients').dynamo;
  keys: typeof import('#shared/table/items').keys;
  gsi1: typeof import('#shared/table/items').gsi1;
  contactKey: typeof import('#shared/core/contacts').contactKey;
  lib: typeof import('@aws-sdk/lib-dynamodb');
};
let t: Table;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  const [{ dynamo }, { tableName }, { keys, gsi1 }, { contactKey }, lib] = await Promise.all([
    import('#shared/aws/clients'),
    import('#shared/aws/config'),
    import('#shared/table/items'),
    import('#shared/core/contacts'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  t = { dynamo, tableName, keys, gsi1, contactKey, lib };
});

/** The contact's invitations as stored (through the contact index, then read consistently). */
const invitationsOf = async (key: string) => {
  const { queryAll } = await import('#shared/table/query');
  const ids = await queryAll({
    TableName: t.tableName(),
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': t.gsi1.contactInvitations(key) },
    ProjectionExpression: 'id',
  });
  return Promise.all(
    ids.map(async ({ id }) => (await t.dynamo.send(new t.lib.GetCommand({ TableName: t.tableName(), Key: t.keys.invitation(String(id)), ConsistentRead: true }))).Item),
  );
};

const contactItem = async (key: string) =>
  (await t.dynamo.send(new t.lib.GetCommand({ TableName: t.tableName(), Key: t.keys.contact(key), ConsistentRead: true }))).Item;

// Each waits for its invitation's time on the queue: side by side, they wait once.
describe.concurrent('an opt-out or suppression stops invitations already on their way', () => {
  it('the unsubscribe link withdraws an invitation that is queued but not sent yet', async () => {
    // GIVEN Ann got one campaign's e-mail, and another campaign's invitation to her waits on the queue
    const ann = uniqueEmail('blocks-unsub');
    const first = await campaign({});
    await add(first, [{ email: ann }]);
    const [mail] = await eventually(async () => ((await emailsTo(ann)).length === 1 ? emailsTo(ann) : undefined), { what: 'the first e-mail' });
    const unsubscribe = /\/u\/([^?"]+)"/.exec(mail?.html ?? '')?.[1] ?? '';
    const second = await sendingIn(6);
    expect((await add(second, [{ email: ann }])).accepted).toBe(1);

    // WHEN she clicks unsubscribe in the first e-mail (the one-click POST)
    expect((await request('POST', `/u/${unsubscribe}`, { auth: false })).status).toBe(200);

    // THEN the waiting invitation is withdrawn when its time comes, and she gets no second e-mail
    await eventually(async () => ((await counts(second)).withdrawn === 1 ? true : undefined), { timeoutMs: 60_000, what: 'the withdrawal' });
    expect(await emailsTo(ann)).toHaveLength(1);
    // and her contact carries the opt-out, so a later import skips her from that one read
    expect(await contactItem(t.contactKey('email', ann))).toMatchObject({ optedOutAt: expect.any(String) });
    expect((await add(await campaign({}), [{ email: ann }])).skipped).toEqual([{ index: 0, reason: 'opted_out' }]);
  });

  it('a hard bounce suppresses an invitation that is queued but not sent yet', async () => {
    // GIVEN an invitation to Bob waiting on the queue
    const bob = uniqueEmail('blocks-bounce');
    const id = await sendingIn(6);
    expect((await add(id, [{ email: bob }])).accepted).toBe(1);

    // WHEN SES reports a permanent bounce of his address
    expect((await request('POST', '/local/ses/events', { body: { type: 'Bounce', email: bob, bounceType: 'Permanent' } })).status).toBe(202);

    // THEN the invitation is settled suppressed when its time comes, and nothing is sent to him
    await eventually(async () => ((await counts(id)).suppressed === 1 ? true : undefined), { timeoutMs: 60_000, what: 'the suppression' });
    expect(await emailsTo(bob)).toHaveLength(0);
  });

  it('STOP withdraws a text that is queued but not sent yet, and START lets a later campaign reach the phone', async () => {
    // GIVEN a survey text to Ann waiting on the queue
    const ann = phone();
    const waiting = await sendingIn(6, { channel: 'sms' });
    expect((await add(waiting, [{ phone: ann, timezone: noonZone() }])).accepted).toBe(1);

    // WHEN she texts STOP
    await reply(ann, 'STOP');

    // THEN the waiting text is withdrawn, and the only text she gets is the STOP confirmation
    await eventually(async () => ((await counts(waiting)).withdrawn === 1 ? true : undefined), { timeoutMs: 60_000, what: 'the withdrawal' });
    expect(await textsTo(ann)).toHaveLength(1);

    // WHEN she texts START, and a later campaign invites her
    await reply(ann, 'START');
    await eventually(async () => ((await textsTo(ann)).length === 2 ? true : undefined), { what: 'the START confirmation' });
    const later = await campaign({ channel: 'sms' });
    expect((await add(later, [{ phone: ann, timezone: noonZone() }])).accepted).toBe(1);

    // THEN its text reaches her
    await eventually(async () => ((await counts(later)).sent === 1 ? true : undefined), { timeoutMs: 30_000, what: 'the later text' });
    expect(await textsTo(ann)).toHaveLength(3);
    expect(await contactItem(t.contactKey('phone', ann))).not.toHaveProperty('optedOutAt');
  });
});

describe('an opt-out that lands during an import', () => {
  it('is honoured: the invitation is not written, and the skip says opted_out', async () => {
    // GIVEN an import of Cleo, and her opt-out landing after the import read her contact and before it writes
    const { addRecipients } = await import('#shared/app/invitations');
    const { findCampaign } = await import('#shared/app/campaigns');
    const { recordOptOut } = await import('#shared/app/contact-blocks');
    const cleo = uniqueEmail('blocks-race');
    const id = await campaign({});
    const found = await findCampaign(id);
    if (!found) throw new Error('campaign not found');
    let optedOut = false;
    const raceStep = 'optOutBetweenReadAndWrite';
    t.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        // The import's write of her contact (the stamp that admits the invitation).
        const key = (args.input as { Key?: { PK?: unknown } }).Key;
        if (!optedOut && /^Update(Item)?Command$/.test(context.commandName ?? '') && typeof key?.PK === 'string' && key.PK.startsWith('CONTACT#')) {
          optedOut = true;
          await recordOptOut(t.contactKey('email', cleo), 'unsubscribe');
        }
        return next(args);
      },
      { step: 'initialize', name: raceStep },
    );
    try {
      // WHEN the import writes
      const result = await addRecipients(found, [{ email: cleo }]);

      // THEN she is skipped as opted out, not as throttled, and nothing was written for her
      expect(optedOut).toBe(true);
      expect(result).toEqual({ accepted: 0, skipped: [{ index: 0, reason: 'opted_out' }] });
      expect(await invitationsOf(t.contactKey('email', cleo))).toEqual([]);
    } finally {
      t.dynamo.middlewareStack.remove(raceStep);
    }
  });
});

describe('opt-outs and suppressions written before stamps', () => {
  it('are read by the import until the migration is done; the migration stamps their contacts and marks their unsent invitations', async () => {
    const { stampLegacyBlocks, forgetContactBlocksMigration, blocksStamped } = await import('#shared/app/contact-blocks-migration');
    const { addRecipients } = await import('#shared/app/invitations');
    const { findCampaign } = await import('#shared/app/campaigns');
    const { CONTACT_BLOCKS_MIGRATION } = await import('#shared/table/items');
    const migration = t.keys.migration(CONTACT_BLOCKS_MIGRATION);
    // GIVEN Dana and Eve invited to a campaign that sends in an hour, then opted out and suppressed
    // the way the version before wrote it (the list's item only: no stamp, no mark), and the migration not run
    const [dana, eve] = [uniqueEmail('blocks-legacy-optout'), uniqueEmail('blocks-legacy-bounce')];
    const waiting = await sendingIn(3_600);
    expect((await add(waiting, [{ email: dana }, { email: eve }])).accepted).toBe(2);
    const [danaKey, eveKey] = [t.contactKey('email', dana), t.contactKey('email', eve)];
    await t.dynamo.send(new t.lib.PutCommand({ TableName: t.tableName(), Item: { ...t.keys.optOut(danaKey), optedOutAt: new Date().toISOString(), via: 'unsubscribe' } }));
    await t.dynamo.send(new t.lib.PutCommand({ TableName: t.tableName(), Item: { ...t.keys.suppression(eveKey), reason: 'bounce', suppressedAt: new Date().toISOString() } }));
    await t.dynamo.send(new t.lib.DeleteCommand({ TableName: t.tableName(), Key: migration }));
    forgetContactBlocksMigration();
    try {
      // WHEN another campaign imports them before the migration is done
      const other = await findCampaign(await campaign({}));
      if (!other) throw new Error('campaign not found');
      expect(await blocksStamped()).toBe(false);
      const before = await addRecipients(other, [{ email: dana }, { email: eve }]);
      // THEN the lists' own items still skip them
      expect(before.skipped).toEqual([
        { index: 0, reason: 'opted_out' },
        { index: 1, reason: 'suppressed' },
      ]);

      // WHEN the migration runs: its first pass, and the one that begins once a deploy has surely finished
      const started = Date.now();
      const first = await stampLegacyBlocks(Date.now() + 60_000, new Date(started));
      const tooSoon = await stampLegacyBlocks(Date.now() + 60_000, new Date(started + 60_000));
      const second = await stampLegacyBlocks(Date.now() + 60_000, new Date(started + 16 * 60_000));
      const after = await stampLegacyBlocks(Date.now() + 60_000, new Date(started + 17 * 60_000));

      // THEN the first pass stamps and marks them; the migration is done only after the second,
      // which finds them stamped and marked already; a run after that does nothing
      expect(first).toMatchObject({ done: false, stamped: expect.any(Number), marked: expect.any(Number) });
      expect(first.stamped).toBeGreaterThanOrEqual(2);
      expect(first.marked).toBeGreaterThanOrEqual(2);
      expect(tooSoon).toEqual({ stamped: 0, marked: 0, done: false });
      expect(second).toMatchObject({ done: true, marked: 0 });
      expect(after).toEqual({ stamped: 0, marked: 0, done: true });
      expect(await contactItem(danaKey)).toMatchObject({ optedOutAt: expect.any(String) });
      expect(await contactItem(eveKey)).toMatchObject({ suppressedAt: expect.any(String) });
      expect((await invitationsOf(danaKey)).map((i) => i?.blockedBy)).toEqual(['opted_out']);
      expect((await invitationsOf(eveKey)).map((i) => i?.blockedBy)).toEqual(['suppressed']);
      forgetContactBlocksMigration();
      expect(await blocksStamped()).toBe(true);
      // (a marked invitation is settled withdrawn or suppressed at send time: see the tests above)
    } finally {
      // The runtime's table was made by this version: whatever happened here, leave the migration done.
      await t.dynamo.send(new t.lib.PutCommand({ TableName: t.tableName(), Item: { ...migration, doneAt: new Date().toISOString() } }));
    }
  });
});
