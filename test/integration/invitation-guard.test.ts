import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { api, uniqueEmail } from '#test/integration/client';

/**
 * Once per address per campaign, now that the invitation item is its own guard (its key derives
 * from the campaign and the address): under concurrent imports, and for addresses imported before,
 * when a separate `RCPT#` item guarded each address.
 */
let dynamo: typeof import('#shared/aws/clients').dynamo;
let contactKey: typeof import('#shared/core/contacts').contactKey;
let keys: typeof import('#shared/table/items').keys;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ dynamo } = await import('#shared/aws/clients'));
  ({ contactKey } = await import('#shared/core/contacts'));
  ({ keys } = await import('#shared/table/items'));
});

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
    // AND the campaign counts 60 recipients
    expect((await api('GET /v1/campaigns/{id}', { params: { id } })).body.counts.recipients).toBe(60);
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
});
