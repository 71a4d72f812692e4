import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { publicBaseUrl, tableName, tokenSecret } from '#shared/aws/config';
import { isPermanentEmailError, sendEmail } from '#shared/aws/ses';
import { renderInvitationEmail } from '#shared/render/email';
import { campaignOf } from '#shared/app/campaigns';
import { batchGet } from '#shared/table/query';
import { blocksStamped } from '#shared/app/contact-blocks-migration';
import { countedAsScheduled, InvitationItem, keys, withoutKeys, type CampaignItem, type InvitationStatus } from '#shared/table/items';
import { EffectInFlight, once } from '#shared/table/lease';
import { holdWrite, schedule, type DueMessage } from '#shared/app/holding';
import { sendHeldReply } from '#shared/app/replies';
import { signToken } from '#shared/core/tokens';
import { firstSendTime } from '#shared/core/send-times';
import { conversationWrite } from '#shared/app/conversations';
import { isPermanentSmsError, sendSms } from '#shared/aws/sms';
import { invitationSms } from '#shared/render/sms-text';
import { transactWrite, type TransactItem } from '#shared/table/transactions';
import { countIn } from '#shared/table/counters';
import { brandingOf } from '#shared/core/branding';
import { count, type BusinessEvent } from '#shared/aws/metrics';

// Longer than one sender invocation can run, shorter than the queue's visibility timeout.
const CLAIM_LEASE_MS = 120_000;

export type SendOutcome = 'sent' | 'failed' | 'suppressed' | 'withdrawn' | 'done-before' | 'gone' | 'held' | 'reminded' | 'no-reminder';

const loadInvitation = async (id: string) => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.invitation(id), ConsistentRead: true }));
  return out.Item ? InvitationItem.parse(withoutKeys(out.Item)) : undefined;
};

type Claim = { invitation: InvitationItem; claimedAt: string } | { outcome: 'gone' | 'done-before' };

const STILL_TO_SEND = new Set<InvitationStatus>(['scheduled', 'queued', 'sending']);

/**
 * Claims the invitation for this attempt, in the one write that also reads it: from scheduled or
 * queued, or from a claim whose lease ran out. The status it was claimed from is kept (only by the
 * first claim), so the settle knows whether it was counted as scheduled. A refused claim reads
 * what stopped it from the same call: gone or erased, settled before, or another attempt's lease.
 */
const claim = async (invitationId: string, now: Date): Promise<Claim> => {
  const claimedAt = now.toISOString();
  try {
    const out = await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET #status = :sending, claimedAt = :claimedAt, claimedFrom = if_not_exists(claimedFrom, #status)',
        ConditionExpression:
          'attribute_not_exists(erasedAt) AND (#status IN (:queued, :scheduled) OR (#status = :sending AND claimedAt < :leaseEnded))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':queued': 'queued',
          ':scheduled': 'scheduled',
          ':claimedAt': claimedAt,
          ':leaseEnded': new Date(now.getTime() - CLAIM_LEASE_MS).toISOString(),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { invitation: InvitationItem.parse(withoutKeys(out.Attributes ?? {})), claimedAt };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const stored = error.Item ? unmarshall(error.Item) : undefined;
    if (!stored || stored.erasedAt) return { outcome: 'gone' };
    if (!STILL_TO_SEND.has(stored.status)) return { outcome: 'done-before' };
    throw new EffectInFlight('the send');
  }
};

/** Gives a claim back after an attempt SES did not take, so the retry needn't wait out the lease. */
const release = async (id: string, claimedAt: string, status: InvitationStatus) => {
  await dynamo
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(id),
        UpdateExpression: 'SET #status = :back REMOVE claimedAt',
        ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':back': status, ':sending': 'sending', ':claimedAt': claimedAt },
      }),
    )
    .catch(() => undefined); // the lease covers a lost release
};

type Terminal = 'sent' | 'failed' | 'suppressed' | 'withdrawn';

const settledMetric: Record<Terminal, BusinessEvent> = {
  sent: 'InvitationsSent',
  failed: 'InvitationsFailed',
  suppressed: 'InvitationsSuppressed',
  withdrawn: 'InvitationsWithdrawn',
};

/**
 * Moves a claimed invitation to its one terminal state, with what that state starts (both or
 * neither), then records the metric once it committed. The campaign's counters follow from the
 * table's stream (shared/app/score-stream.ts), exactly once, so the settle is one conditioned
 * write when nothing follows on.
 */
const settle = async (
  invitation: InvitationItem,
  claimedAt: string,
  outcome: Terminal,
  now: Date,
  reason?: string,
  followOn: TransactItem[] = [],
) => {
  const update = {
    TableName: tableName(),
    Key: keys.invitation(invitation.id),
    UpdateExpression: `SET #status = :outcome, settledAt = :now, countsFromStream = :true${reason ? ', failedReason = :reason' : ''}${outcome === 'sent' ? ', sentAt = :now' : ''}`,
    ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':outcome': outcome,
      ':true': true,
      ':sending': 'sending',
      ':claimedAt': claimedAt,
      ':now': now.toISOString(),
      ...(reason ? { ':reason': reason } : {}),
    },
  };
  if (followOn.length === 0) await dynamo.send(new UpdateCommand(update));
  else await transactWrite([{ Update: update }, ...followOn]);
  count(settledMetric[outcome], invitation.channel);
};

/**
 * What a sent invitation starts, written with the settle so that neither can be lost to a crash
 * after it: a redelivered message finds the invitation sent and does nothing more. An SMS opens
 * the phone's conversation; a campaign with reminders holds this invitation's reminder.
 */
const sentFollowOn = (invitation: InvitationItem, campaign: CampaignItem, now: Date): TransactItem[] => [
  ...(campaign.channel === 'sms' && invitation.contactKey ? [conversationWrite({ ...invitation, contactKey: invitation.contactKey }, now)] : []),
  ...(campaign.reminderAfterHours
    ? [
        holdWrite(
          { invitationId: invitation.id, kind: 'reminder', dueAt: new Date(now.getTime() + campaign.reminderAfterHours * 3_600_000).toISOString() },
          now,
        ),
      ]
    : []),
];

export const surveyUrl = (token: string): string => `${publicBaseUrl()}/s/${token}`;
export const unsubscribeUrl = (token: string): string => `${publicBaseUrl()}/u/${token}`;

/**
 * Why this contact must not be messaged now, if they opted out or their address was suppressed
 * since the invitation was made: the mark the opt-out or suppression left on the invitation, which
 * the claim (or the reminder's read) already returned. Until every older opt-out and suppression
 * is marked too (shared/app/contact-blocks-migration.ts), the lists' own items are read as well.
 */
const blockedBy = async (invitation: InvitationItem): Promise<'withdrawn' | 'suppressed' | undefined> => {
  if (invitation.blockedBy === 'opted_out') return 'withdrawn';
  const marked = invitation.blockedBy === 'suppressed' ? 'suppressed' : undefined;
  if (!invitation.contactKey || (await blocksStamped())) return marked;
  const found = await batchGet([keys.optOut(invitation.contactKey), keys.suppression(invitation.contactKey)], 'PK, SK');
  if ([...found.keys()].some((k) => k.startsWith('OPTOUT#'))) return 'withdrawn';
  return marked ?? (found.size > 0 ? 'suppressed' : undefined);
};

const emailFor = async (invitation: InvitationItem, campaign: CampaignItem, reminder: boolean) => {
  const secret = await tokenSecret();
  const rendered = renderInvitationEmail({
    ...brandingOf(campaign),
    locale: invitation.contact.locale ?? campaign.locale,
    question: campaign.question,
    name: invitation.contact.name,
    surveyUrl: surveyUrl(signToken(secret, invitation.id, 'survey')),
    // Its own token: List-Unsubscribe hands this link to mailbox providers, and it must not open the survey.
    unsubscribeUrl: unsubscribeUrl(signToken(secret, invitation.id, 'unsubscribe')),
    reminder,
  });
  return {
    to: invitation.contact.email ?? '',
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: rendered.headers,
    fromName: campaign.senderName ?? campaign.brand,
    // Tags carry ids only, so bounce and complaint events map back without personal data.
    tags: [
      { name: 'campaignId', value: campaign.id },
      { name: 'kind', value: reminder ? 'reminder' : 'invitation' },
    ],
  };
};

/** What a survey text needs to know of the campaign, in the recipient's locale. */
const smsCampaign = (invitation: InvitationItem, campaign: CampaignItem) => ({
  brand: campaign.brand,
  locale: invitation.contact.locale ?? campaign.locale,
  question: campaign.question,
  followUpQuestion: campaign.followUpQuestion,
});

/** Delivers the invitation (or its reminder) on the campaign's channel. */
const deliverOn = async (invitation: InvitationItem, campaign: CampaignItem, reminder: boolean): Promise<void> => {
  if (campaign.channel === 'sms') {
    await sendSms(invitation.contact.phone ?? '', invitationSms(smsCampaign(invitation, campaign), { reminder }));
    return;
  }
  await sendEmail(await emailFor(invitation, campaign, reminder));
};

const addressOf = (invitation: InvitationItem, campaign: CampaignItem) =>
  campaign.channel === 'sms' ? invitation.contact.phone : invitation.contact.email;

const permanentFailure = (error: unknown): string | undefined => {
  if (isPermanentEmailError(error)) return error.name;
  if (isPermanentSmsError(error)) return error.name;
  return undefined;
};

/**
 * Puts a claimed SMS invitation back on hold until the recipient's window opens: quiet hours
 * are checked again at send time, since a message may wait in the queue past the window.
 */
const postpone = async (invitation: InvitationItem, claimedAt: string, dueAt: string, now: Date) => {
  // Back into the scheduled count if it was not there: the stream counts that move.
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.invitation(invitation.id),
      UpdateExpression: 'SET #status = :scheduled, dueAt = :dueAt, countsFromStream = :true REMOVE claimedAt, claimedFrom, heldBefore',
      ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':scheduled': 'scheduled', ':sending': 'sending', ':claimedAt': claimedAt, ':dueAt': dueAt, ':true': true },
    }),
  );
  await schedule([{ invitationId: invitation.id, kind: 'send', dueAt }], now);
};

/**
 * Sends one invitation at most once per claim. The invitation is claimed with a conditional
 * write before SES is called and settled (sent, failed, suppressed or withdrawn, and counted)
 * after, so a duplicate or redelivered message finds it claimed or settled and sends nothing.
 * Only an attempt that dies between SES accepting the mail and the settle, and whose lease then
 * runs out, can send again: the narrowest window a mail API without idempotency allows.
 */
const sendFirst = async (invitationId: string, now: Date): Promise<SendOutcome> => {
  const claimed = await claim(invitationId, now);
  if ('outcome' in claimed) return claimed.outcome;
  const { invitation, claimedAt } = claimed;
  const campaign = await campaignOf(invitation.campaignId);
  if (!campaign || !addressOf(invitation, campaign)) {
    await settle(invitation, claimedAt, 'failed', now, campaign ? 'no_address' : 'campaign_missing');
    return 'failed';
  }
  const blocked = await blockedBy(invitation);
  if (blocked) {
    await settle(invitation, claimedAt, blocked, now, blocked === 'withdrawn' ? 'opted_out' : 'suppressed');
    return blocked;
  }
  if (campaign.channel === 'sms') {
    const opens = firstSendTime({ ...campaign, sendAt: undefined }, invitation.contact, now);
    if (!opens) {
      await settle(invitation, claimedAt, 'failed', now, 'no_send_window');
      return 'failed';
    }
    if (opens.getTime() > now.getTime()) {
      await postpone(invitation, claimedAt, opens.toISOString(), now);
      return 'held';
    }
  }
  try {
    await deliverOn(invitation, campaign, false);
  } catch (error) {
    const permanent = permanentFailure(error);
    if (permanent) {
      await settle(invitation, claimedAt, 'failed', now, permanent);
      return 'failed';
    }
    await release(invitation.id, claimedAt, countedAsScheduled(invitation) ? 'scheduled' : 'queued');
    throw error;
  }
  await settle(invitation, claimedAt, 'sent', now, undefined, sentFollowOn(invitation, campaign, now));
  return 'sent';
};

/**
 * One reminder to someone who was sent the invitation and has not answered, opted out or
 * bounced since; at most once per invitation.
 */
const sendReminder = async (invitation: InvitationItem, now: Date): Promise<SendOutcome> => {
  if (invitation.status !== 'sent' || invitation.remindedAt) return 'no-reminder';
  const [campaign, answered, blocked] = await Promise.all([
    campaignOf(invitation.campaignId),
    dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.response(invitation.id), ProjectionExpression: 'PK' })),
    blockedBy(invitation),
  ]);
  if (!campaign || answered.Item || blocked || !addressOf(invitation, campaign)) return 'no-reminder';
  if (campaign.channel === 'sms') {
    const opens = firstSendTime({ ...campaign, sendAt: undefined }, invitation.contact, now);
    if (!opens) return 'no-reminder';
    if (opens.getTime() > now.getTime()) {
      await schedule([{ invitationId: invitation.id, kind: 'reminder', dueAt: opens.toISOString() }], now);
      return 'held';
    }
  }
  const sent = await once(
    { key: keys.invitation(invitation.id), doneAttr: 'remindedAt', claimAttr: 'remindingAt', leaseMs: CLAIM_LEASE_MS, what: 'the reminder' },
    async () => {
      await deliverOn(invitation, campaign, true);
      await transactWrite([countIn(campaign.id, { reminded: 1 })]);
    },
    now,
  );
  return sent ? 'reminded' : 'no-reminder';
};

/** Handles one message from the invitation queue: a first send or a reminder, when it is due. */
export const processDue = async (message: DueMessage, now = new Date()): Promise<SendOutcome> => {
  // SQS delays at most 15 minutes; a message that still arrives early is held again.
  if (Date.parse(message.dueAt) > now.getTime() + 1_000) {
    await schedule([message], now);
    return 'held';
  }
  if (message.kind === 'send') return sendFirst(message.invitationId, now);
  const invitation = await loadInvitation(message.invitationId);
  if (!invitation || invitation.erasedAt) return 'gone';
  if (message.kind === 'reply') return sendHeldReply(message, invitation, now);
  return sendReminder(invitation, now);
};
