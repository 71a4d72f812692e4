import { beforeAll, describe, expect, inject, it } from 'vitest';
import { context, httpEvent } from '#test/fixtures/http-event';
import { api, eventually, outbox, uniqueEmail } from '#test/integration/client';

/**
 * The hand-off from the recipients API to the send queue, with SQS refused by fault injection
 * (SDK middleware on the API's own SQS client) right after the invitations are committed. The
 * API runs in this process; everything after it (release-due on its schedule, the sender, SES)
 * is the local runtime's.
 */
type Handler = typeof import('#functions/admin-api').handler;
let handler: Handler;

/** While set, every SendMessageBatch of this process fails as if SQS were unreachable. */
let sqsRefused = false;

beforeAll(async () => {
  // The handler modules read their configuration from env at load, as in Lambda.
  Object.assign(process.env, inject('localEnv'));
  ({ handler } = await import('#functions/admin-api'));
  const { sqs } = await import('#shared/aws/clients');
  sqs.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (sqsRefused && ctx.commandName === 'SendMessageBatchCommand') throw new Error('injected: SQS unreachable');
      return next(args);
    },
    { step: 'initialize', name: 'refuse-sqs' },
  );
});

interface OutboxEmail {
  readonly to: string[];
}

const emailsTo = (address: string) => outbox<OutboxEmail>({ box: 'email', to: address });

const addRecipients = async (campaignId: string, recipients: readonly { email: string }[]) => {
  const result = await handler(
    httpEvent('POST /v1/campaigns/{id}/recipients', {
      pathParameters: { id: campaignId },
      headers: { authorization: `Bearer ${inject('apiKey')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recipients }),
    }),
    context,
  );
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as unknown };
};

describe('the hand-off of invitations to the send queue', () => {
  it('answers 202 and still sends each invitation exactly once when SQS refuses it after the commit', { timeout: 150_000 }, async () => {
    // GIVEN an e-mail campaign and SQS refusing every message from the API
    const campaign = await api('POST /v1/campaigns', {
      body: { name: 'Outbox', brand: 'Acme', channel: 'email', throttleDays: 0 },
    });
    const people = [uniqueEmail('outbox-a'), uniqueEmail('outbox-b'), uniqueEmail('outbox-c')];
    sqsRefused = true;

    // WHEN recipients are added
    const added = await addRecipients(campaign.body.id, people.map((email) => ({ email }))).finally(() => {
      sqsRefused = false;
    });

    // THEN the request is accepted: the invitations are committed and their hand-off with them
    expect(added).toEqual({ status: 202, body: { accepted: 3, skipped: [] } });
    // AND the schedule hands them to the queue: each person gets exactly one e-mail
    await eventually(
      async () => ((await Promise.all(people.map(emailsTo))).every((mails) => mails.length > 0) ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 500, what: 'the invitations sent by the outbox sweep' },
    );
    await eventually(
      async () => {
        const { counts } = (await api('GET /v1/campaigns/{id}', { params: { id: campaign.body.id } })).body;
        return counts.sent === 3 ? counts : undefined;
      },
      { what: 'three sends counted' },
    );
    expect((await Promise.all(people.map(emailsTo))).map((mails) => mails.length)).toEqual([1, 1, 1]);
  });
});
