/**
 * A manager replies to a customer from their case, on the channel the customer answered on.
 *
 * Exactly once, in three steps. (1) One transaction writes a guard item per Idempotency-Key
 * (`FOLLOWUP#<case> / REPLY#<hash of the key>`), the reply's timeline entry and the case's
 * change (contacted, or closed); a second request with the same key finds the guard and goes
 * on with the entry it names, so the case records the reply once. (2) The send itself is
 * leased on the entry (`once`: sentAt / sendingAt), so however often the request is retried,
 * the customer gets it once. (3) An SMS outside the customer's sending window is held with the
 * invitations' holding mechanism and sent by the sender when it falls due, under the same lease.
 * The HTTP route wraps it all in the Idempotency-Key's stored answer besides (shared/aws/idempotency.ts).
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { isPermanentEmailError, sendEmail } from '#shared/aws/ses';
import { isPermanentSmsError, sendSms } from '#shared/aws/sms';
import { count } from '#shared/aws/metrics';
import { DomainError } from '#shared/core/errors';
import { firstSendTime } from '#shared/core/send-times';
import { brandingOf } from '#shared/core/branding';
import { findCampaign } from '#shared/app/campaigns';
import { findInvitation } from '#shared/app/invitations';
import { schedule } from '#shared/app/holding';
import { caseUpdate, caseView, entryWrite, getCase, loadCase, replyAddress, replyBlockOf } from '#shared/app/followups';
import { renderReplyEmail, replySms } from '#shared/render/reply';
import { once } from '#shared/table/lease';
import { cancellationCodes, transactWrite } from '#shared/table/transactions';
import { FollowupEvent, keys, withoutKeys, type CampaignItem, type FollowupItem, type InvitationItem } from '#shared/table/items';
import { TimelineEntry, type ReplyBlock, type ReplyInput, type ReplyResult } from '#shared/contract/followups';

/** What a manager reads when the customer cannot be messaged. */
export const blockMessages: Record<ReplyBlock, string> = {
  opted_out: 'This customer has opted out of messages from us, so no reply was sent.',
  suppressed: "This customer's e-mail address bounced or they marked our mail as spam, so no reply was sent.",
  erased: 'This customer asked to be forgotten, so they can no longer be contacted.',
  no_address: 'We have no address for this customer on the channel they answered on, so no reply was sent.',
};

export interface ReplyRequest extends ReplyInput {
  readonly caseId: string;
  /** Who replies, for the timeline: a user's e-mail address or `api key`. */
  readonly by: string;
  /** The signed-in manager's address, where the customer's answer goes; an API key has none. */
  readonly replyTo?: string | undefined;
  readonly idempotencyKey: string;
}

// Entries written in one millisecond still sort in the order they were made.
const nextEntryId = monotonicFactory();

const keyHash = (key: string) => createHash('sha256').update(key).digest('base64url');

// Longer than one request can run: a send that died mid-way is taken over by a retry after it.
const SEND_LEASE_MS = 60_000;

const sendLease = (caseId: string, entryId: string) => ({
  key: keys.followupEvent(caseId, entryId),
  doneAttr: 'sentAt',
  claimAttr: 'sendingAt',
  leaseMs: SEND_LEASE_MS,
  what: 'the reply',
});

/** Marks how a reply's delivery ended; an entry erased meanwhile is left alone. */
const markDelivery = async (caseId: string, entryId: string, delivery: 'sent' | 'failed', reason?: string): Promise<void> => {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.followupEvent(caseId, entryId),
        UpdateExpression: `SET delivery = :delivery${reason ? ', failedReason = :reason' : ''} REMOVE heldUntil`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':delivery': delivery, ...(reason ? { ':reason': reason } : {}) },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

/**
 * Sends the reply on its channel, once per entry: `done-before` when it was sent before (or the
 * entry was erased); `failed`, marked on the entry, when SES or SNS refuses the message for good
 * (a transient error is thrown, and a retry sends it).
 */
const deliver = async (
  item: FollowupItem,
  invitation: InvitationItem,
  campaign: CampaignItem,
  entry: { entryId: string; text: string; replyTo?: string | undefined },
  now: Date,
): Promise<'sent' | 'done-before' | 'failed'> => {
  const to = replyAddress(item, invitation.channel) ?? '';
  let sent: boolean;
  try {
    sent = await once(
      sendLease(item.id, entry.entryId),
      async () => {
        if (invitation.channel === 'sms') {
          await sendSms(to, replySms(campaign.brand, entry.text));
          return;
        }
        const rendered = renderReplyEmail({
          ...brandingOf(campaign),
          locale: invitation.contact.locale ?? campaign.locale,
          name: item.contact.name,
          text: entry.text,
        });
        await sendEmail({
          to,
          ...rendered,
          fromName: campaign.senderName ?? campaign.brand,
          ...(entry.replyTo ? { replyTo: entry.replyTo } : {}),
          headers: [],
          // Ids only, so a bounce maps back without personal data.
          tags: [
            { name: 'campaignId', value: campaign.id },
            { name: 'kind', value: 'reply' },
          ],
        });
      },
      now,
    );
  } catch (error) {
    if (!isPermanentEmailError(error) && !isPermanentSmsError(error)) throw error;
    await markDelivery(item.id, entry.entryId, 'failed', error.name);
    return 'failed';
  }
  if (!sent) return 'done-before';
  count('RepliesSent', invitation.channel);
  return 'sent';
};

const readEntry = async (caseId: string, entryId: string) => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.followupEvent(caseId, entryId), ConsistentRead: true }));
  return out.Item ? { stored: out.Item, entry: FollowupEvent.parse(withoutKeys(out.Item)) } : undefined;
};

/** The entry an earlier request with the same key wrote, if any. */
const guardedEntryId = async (caseId: string, hash: string): Promise<string | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.replyGuard(caseId, hash), ConsistentRead: true }));
  const id: unknown = out.Item?.entryId;
  return typeof id === 'string' ? id : undefined;
};

/**
 * Replies to the customer of a case, and records it: a `reply` entry (with `held` and until
 * when, for an SMS outside the customer's window), the case contacted (or closed with the given
 * reason, and a status entry), and the first action's time. An opted-out, suppressed or erased
 * customer, or one without an address, is a 409 that says why, and nothing is written or sent.
 */
export const replyToCase = async (request: ReplyRequest, now = new Date()): Promise<Omit<ReplyResult, 'replayed'>> => {
  const item = await getCase(request.caseId);
  const invitation = await findInvitation(item.invitationId);
  const blocked = await replyBlockOf(item, invitation);
  if (blocked || !invitation) throw new DomainError('conflict', blockMessages[blocked ?? 'erased']);
  const campaign = await findCampaign(item.campaignId);
  if (!campaign) throw new DomainError('conflict', 'The campaign of this case no longer exists, so no reply can be sent.');
  const channel = invitation.channel;
  let heldUntil: string | undefined;
  if (channel === 'sms') {
    const opens = firstSendTime({ channel, sendWindow: campaign.sendWindow, timezone: campaign.timezone }, invitation.contact, now);
    if (!opens) throw new DomainError('conflict', "We cannot tell this customer's time zone, so we cannot text them at a decent hour; no reply was sent.");
    if (opens.getTime() > now.getTime()) heldUntil = opens.toISOString();
  }
  const hash = keyHash(request.idempotencyKey);
  let entryId = nextEntryId(now.getTime());
  const at = now.toISOString();
  try {
    await transactWrite([
      caseUpdate(
        item,
        { status: request.close ? 'closed' : item.status === 'open' ? 'contacted' : undefined, closeReason: request.close, contacted: true },
        now,
      ),
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.replyGuard(item.id, hash), entryId, at },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      entryWrite(
        { type: 'reply', caseId: item.id, at, by: request.by, channel, text: request.text, delivery: heldUntil ? 'held' : 'sent', ...(heldUntil ? { heldUntil } : {}) },
        now,
        entryId,
      ),
      ...(request.close ? [entryWrite({ type: 'status', caseId: item.id, at, by: request.by, status: 'closed', closeReason: request.close }, now)] : []),
    ]);
  } catch (error) {
    const [onCase, onGuard] = cancellationCodes(error);
    // This key was used on this case before: its entry goes on (and is sent, if it was not yet).
    if (onGuard === 'ConditionalCheckFailed') entryId = (await guardedEntryId(item.id, hash)) ?? entryId;
    else if (onCase === 'ConditionalCheckFailed') throw new DomainError('conflict', blockMessages.erased);
    else if (onCase === 'TransactionConflict') throw new DomainError('conflict', 'the case was changed at the same moment; try again');
    else throw error;
  }
  const found = await readEntry(item.id, entryId);
  if (!found || found.entry.type !== 'reply') throw new DomainError('conflict', blockMessages.erased);
  const entry = found.entry;
  let delivery = entry.delivery;
  if (delivery === 'held' && entry.heldUntil) {
    // Holding twice is harmless: the sender's lease sends it once.
    if (found.stored.sentAt === undefined) {
      await schedule([{ invitationId: invitation.id, kind: 'reply', dueAt: entry.heldUntil, caseId: item.id, entryId }], now);
    }
  } else if (delivery === 'sent') {
    // Refused for good by the mail service or the phone network: recorded, and the entry says so.
    if ((await deliver(item, invitation, campaign, { entryId, text: entry.text, replyTo: request.replyTo }, now)) === 'failed') delivery = 'failed';
  }
  return { reply: TimelineEntry.parse({ ...entry, delivery }), case: await caseView(await getCase(item.id), campaign.name) };
};

/**
 * Sends an SMS reply that was held for the customer's quiet hours, when it falls due: once (the
 * entry's lease), only if the entry still exists (erasure deletes it) and the customer has not
 * opted out since; held again if the window is still closed. The entry then says `sent`.
 */
export const sendHeldReply = async (
  message: { caseId?: string | undefined; entryId?: string | undefined },
  invitation: InvitationItem,
  now = new Date(),
): Promise<'sent' | 'held' | 'gone' | 'done-before' | 'withdrawn' | 'failed'> => {
  if (!message.caseId || !message.entryId) return 'gone';
  const found = await readEntry(message.caseId, message.entryId);
  if (!found || found.entry.type !== 'reply') return 'gone';
  if (found.stored.sentAt !== undefined) return 'done-before';
  const [item, campaign] = await Promise.all([loadCase(message.caseId), findCampaign(invitation.campaignId)]);
  if (!item || !campaign) return 'gone';
  if (await replyBlockOf(item, invitation)) return 'withdrawn';
  const opens = firstSendTime({ channel: 'sms', sendWindow: campaign.sendWindow, timezone: campaign.timezone }, invitation.contact, now);
  if (!opens) return 'gone';
  if (opens.getTime() > now.getTime()) {
    await schedule([{ invitationId: invitation.id, kind: 'reply', dueAt: opens.toISOString(), caseId: item.id, entryId: message.entryId }], now);
    return 'held';
  }
  const outcome = await deliver(item, invitation, campaign, { entryId: message.entryId, text: found.entry.text }, now);
  if (outcome !== 'failed') await markDelivery(item.id, message.entryId, 'sent');
  return outcome;
};
