import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { api, eventually, uniqueEmail } from '#test/integration/client';
import { context, httpEvent } from '#test/fixtures/http-event';

/**
 * Once per address per campaign, now that the invitation item is its own guard (its key derives
 * from the campaign and the address): under concurrent imports, and for addresses imported before,
 * when a separate `RCPT#` item guarded each address.
 */
let dynamo: typeof import('#shared/aws/clients').dynamo;
let contactKey: typeof import('#shared/core/contacts').contactKey;
let keys: typeof import('#shared/table/items').keys;
let adminApi: typeof import('#functions/admin-api').handler;

/** While set, this process's DynamoDB calls that it names fail as if the request stopped there. */
let crashBefore: ((command: string, input: { Item?: Record<string, unknown> }) => boolean) | undefined;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ dynamo } = await import('#shared/aws/clients'));
  ({ contactKey } = await import('#shared/core/contacts'));
  ({ keys } = await import('#shared/table/items'));
  ({ handler: adminApi } = await import('#functions/admin-api'));
  dynamo.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (crashBefore?.(String(ctx.commandName), args.input as { Item?: Record<string, unknown> })) throw new Error(`injected crash before ${String(ctx.commandName)}`);
      return next(args);
    },
    { step: 'initialize', name: 'crash' },
  );
});

/** The recipients API, run in this process (so the crash injection reaches it). */
const addHere = async (id: string, emails: readonly string[]) => {
  const result = await adminApi(
    httpEvent('POST /v1/campaigns/{id}/recipients', {
      pathParameters: { id },
      headers: { authorization: `Bearer ${inject('apiKey')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recipients: emails.map((email) => ({ email })) }),
    }),
    context,
  );
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as { accepted?: number; skipped?: { index: number; reason: string }[] } };
};

const newCampaign = async () =>
  (await api('POST /v1/campaigns', { body: { name: 'Guard', brand: 'Acme', channel: 'email', throttleDays: 0, sendAt: new Date(Date.now() + 86_400_000).toISOString() } }))
    .body.id;

const add = (id: string, emails: readonly string[]) => api('POST /v1/campaigns/{id}/recipients', { params: { id }, body: { recipients: emails.map((email) => ({ email })) } });

describe('one invitation per address per campaign', () => {
  it('accepts each address once when five imports of the same 60 addresses race', async () => {
    // GIVEN a campaign and 60 new addresses
    const id = await newCampaign();
    const emails = Array.from({ length: 60 }, (_, i) => uniqueEmail(`race${i}`));

    // WHEN five requests add them all at the same moment
    const replies = await Promise.all(Array.from({ length: 5 }, () => add(id, emails)));

    // THEN every address is accepted by exactly one request, and skipped as a duplicate by the others
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(replies.reduce((n, r) => n + r.body.accepted, 0)).toBe(60);
    const skips = replies.flatMap((r) => r.body.skipped);
    expect(skips).toHaveLength(4 * 60);
    expect(skips.every((s) => s.reason === 'duplicate')).toBe(true);
    // AND the campaign counts 60 recipients (the stream counts them, so within a moment)
    const counted = () => api('GET /v1/campaigns/{id}', { params: { id } }).then((r) => r.body.counts.recipients);
    await eventually(async () => ((await counted()) === 60 ? true : undefined), { what: '60 recipients counted' });
  });

  it('still skips an address imported before invitations were their own guard', async () => {
    // GIVEN a campaign into which an address was imported the old way: an RCPT# guard beside a random-id invitation
    const id = await newCampaign();
    const old = uniqueEmail('old-guard');
    await dynamo.send(
      new PutCommand({ TableName: inject('localEnv').TABLE_NAME, Item: { ...keys.campaignRecipient(id, contactKey('email', old)), invitationId: 'AAAAAAAAAAAAAAAAAAAAAA' } }),
    );

    // WHEN the same address and a new one are added
    const reply = await add(id, [old, uniqueEmail('new-guard')]);

    // THEN the old one is a duplicate and the new one is accepted
    expect(reply.body).toEqual({ accepted: 1, skipped: [{ index: 0, reason: 'duplicate' }] });
  });

  it('keys each invitation by the campaign\'s secret salt, which no API answer shows', async () => {
    // GIVEN a campaign with one address imported
    const id = await newCampaign();
    const email = uniqueEmail('salted');
    expect((await add(id, [email])).body.accepted).toBe(1);

    // THEN the invitation is not at the id anyone could work out from the campaign and the address alone
    const { campaignInvitationId } = await import('#shared/core/tokens');
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const TableName = inject('localEnv').TABLE_NAME;
    const unsalted = await dynamo.send(new GetCommand({ TableName, Key: keys.invitation(campaignInvitationId(id, contactKey('email', email))) }));
    expect(unsalted.Item).toBeUndefined();
    // ... but at the one the stored salt gives
    const stored = await dynamo.send(new GetCommand({ TableName, Key: keys.campaign(id) }));
    const salt = stored.Item?.invitationSalt;
    expect(typeof salt).toBe('string');
    const salted = await dynamo.send(new GetCommand({ TableName, Key: keys.invitation(campaignInvitationId(id, contactKey('email', email), salt)) }));
    expect(salted.Item?.campaignId).toBe(id);
    // AND neither the campaign nor the list shows the salt
    expect(JSON.stringify((await api('GET /v1/campaigns/{id}', { params: { id } })).body)).not.toContain(salt);
    expect(JSON.stringify((await api('GET /v1/campaigns', { query: { limit: 100 } })).body)).not.toContain('invitationSalt');
  });

  it('accepts and counts each recipient once when an import that stopped between the throttle stamp and the invitation is tried again', { timeout: 60_000 }, async () => {
    // GIVEN a campaign with the default 90-day throttle, and an import that stops before it writes any invitation
    const id = (await api('POST /v1/campaigns', { body: { name: 'Crash', brand: 'Acme', channel: 'email', sendAt: new Date(Date.now() + 86_400_000).toISOString() } })).body.id;
    const emails = Array.from({ length: 30 }, (_, i) => uniqueEmail(`crash${i}`));
    const invitationPut = (command: string, input: { Item?: Record<string, unknown> }) => {
      const pk = input.Item?.PK;
      const text = typeof pk === 'string' ? pk : (pk as { S?: string } | undefined)?.S;
      return command === 'PutItemCommand' && text?.startsWith('INV#') === true;
    };
    crashBefore = invitationPut;
    const crashed = await addHere(id, emails).finally(() => {
      crashBefore = undefined;
    });
    expect(crashed.status).toBe(500);
    // (each contact now carries this campaign's throttle stamp, without an invitation)

    // WHEN the same import is tried again
    const retried = await addHere(id, emails);

    // THEN every recipient is accepted (its own stamp does not throttle it), once
    expect(retried).toEqual({ status: 202, body: { accepted: 30, skipped: [] } });
    expect((await addHere(id, emails)).body.skipped?.every((s) => s.reason === 'duplicate')).toBe(true);
    // AND the campaign counts 30 recipients, all held
    const counts = () => api('GET /v1/campaigns/{id}', { params: { id } }).then((r) => r.body.counts);
    const counted = await eventually(async () => ((await counts()).recipients === 30 ? counts() : undefined), { what: '30 recipients counted' });
    expect(counted).toMatchObject({ recipients: 30, scheduled: 30, queued: 0 });
    // AND another campaign is throttled by the stamp, as by any survey
    const other = (await api('POST /v1/campaigns', { body: { name: 'After', brand: 'Acme', channel: 'email' } })).body.id;
    expect((await add(other, emails.slice(0, 1))).body.skipped).toEqual([{ index: 0, reason: 'throttled' }]);
  });

  it('lets exactly one of two campaigns racing for the same addresses survey each of them', async () => {
    // GIVEN two campaigns with the default 90-day throttle and 40 new addresses
    const campaign = async () => (await api('POST /v1/campaigns', { body: { name: 'Race', brand: 'Acme', channel: 'email', sendAt: new Date(Date.now() + 86_400_000).toISOString() } })).body.id;
    const [a, b] = await Promise.all([campaign(), campaign()]);
    const emails = Array.from({ length: 40 }, (_, i) => uniqueEmail(`throttle-race${i}`));

    // WHEN both import them at the same moment
    const [ra, rb] = await Promise.all([add(a, emails), add(b, emails)]);

    // THEN each address is accepted by one campaign and throttled in the other
    expect(ra.body.accepted + rb.body.accepted).toBe(40);
    const throttled = [...ra.body.skipped, ...rb.body.skipped];
    expect(throttled).toHaveLength(40);
    expect(throttled.every((s) => s.reason === 'throttled')).toBe(true);
    expect(new Set(throttled.map((s) => s.index)).size).toBe(40);
  });
});
