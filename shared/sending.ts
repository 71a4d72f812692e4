import { SendEmailCommand, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo, ses } from '#shared/clients';
import { publicBaseUrl, senderEmail, tableName, tokenSecret } from '#shared/config';
import { renderInvitationEmail } from '#shared/email';
import { findCampaign } from '#shared/campaigns';
import { InvitationItem, keys, withoutKeys } from '#shared/items';
import { signToken } from '#shared/tokens';

/** A send attempt that may still be in flight elsewhere; the message is retried later. */
export class SendInFlight extends Error {
  constructor() {
    super('invitation is being sent by another attempt');
    this.name = 'SendInFlight';
  }
}

// Longer than one sender invocation can run, shorter than the queue's visibility timeout.
const CLAIM_LEASE_MS = 120_000;

// SES answers these when the message itself can never be sent; anything else is worth a retry.
const PERMANENT_SES_ERRORS = new Set(['MessageRejected', 'BadRequestException', 'NotFoundException', 'AccountSuspendedException', 'SendingPausedException', 'MailFromDomainNotVerifiedException']);

export type SendOutcome = 'sent' | 'failed' | 'done-before' | 'gone';

const loadInvitation = async (id: string) => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.invitation(id), ConsistentRead: true }));
  return out.Item ? InvitationItem.parse(withoutKeys(out.Item)) : undefined;
};

/** Claims the invitation for this attempt: from queued, or from a claim whose lease ran out (a crashed attempt). */
const claim = async (invitation: InvitationItem, now: Date): Promise<string> => {
  const claimedAt = now.toISOString();
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitation.id),
        UpdateExpression: 'SET #status = :sending, claimedAt = :claimedAt',
        ConditionExpression: '#status = :queued OR (#status = :sending AND claimedAt = :previous)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':queued': 'queued',
          ':claimedAt': claimedAt,
          ':previous': invitation.claimedAt ?? '-',
        },
      }),
    );
    return claimedAt;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new SendInFlight();
    throw error;
  }
};

/** Gives a claim back after a failure SES did not accept the mail in, so the retry needn't wait out the lease. */
const release = async (id: string, claimedAt: string) => {
  await dynamo
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(id),
        UpdateExpression: 'SET #status = :queued REMOVE claimedAt',
        ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': 'queued', ':sending': 'sending', ':claimedAt': claimedAt },
      }),
    )
    .catch(() => undefined);
};

/** Moves a claimed invitation to its terminal state and counts it, both or neither. */
const settle = async (id: string, campaignId: string, claimedAt: string, outcome: 'sent' | 'failed', now: Date, reason?: string) => {
  await dynamo.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: keys.invitation(id),
            UpdateExpression:
              outcome === 'sent' ? 'SET #status = :outcome, sentAt = :now' : 'SET #status = :outcome, failedReason = :reason',
            ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':outcome': outcome,
              ':sending': 'sending',
              ':claimedAt': claimedAt,
              ...(outcome === 'sent' ? { ':now': now.toISOString() } : { ':reason': reason ?? 'unknown' }),
            },
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: keys.campaignCounts(campaignId),
            UpdateExpression: 'ADD #outcome :one',
            ExpressionAttributeNames: { '#outcome': outcome },
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ],
    }),
  );
};

export const surveyUrl = (token: string): string => `${publicBaseUrl()}/s/${token}`;
export const unsubscribeUrl = (token: string): string => `${publicBaseUrl()}/u/${token}`;

/**
 * Sends one invitation at most once per claim. The invitation is claimed with a conditional
 * write before SES is called and settled (sent or failed, and counted) after, so a duplicate
 * or redelivered message finds it claimed or settled and sends nothing. Only an attempt that
 * crashes between SES accepting the mail and the settle, and whose lease then runs out, can
 * send again: the narrowest window a send without a transactional mail API allows.
 */
export const sendInvitation = async (invitationId: string, now = new Date()): Promise<SendOutcome> => {
  const invitation = await loadInvitation(invitationId);
  if (!invitation) return 'gone';
  if (invitation.status === 'sent' || invitation.status === 'failed') return 'done-before';
  if (invitation.status === 'sending' && Date.parse(invitation.claimedAt ?? '') > now.getTime() - CLAIM_LEASE_MS) {
    throw new SendInFlight();
  }
  const claimedAt = await claim(invitation, now);
  const campaign = await findCampaign(invitation.campaignId);
  const email = invitation.contact.email;
  if (!campaign || !email) {
    await settle(invitation.id, invitation.campaignId, claimedAt, 'failed', now, campaign ? 'no_address' : 'campaign_missing');
    return 'failed';
  }
  const token = signToken(await tokenSecret(), invitation.id);
  const rendered = renderInvitationEmail({
    brand: campaign.brand,
    locale: invitation.contact.locale ?? campaign.locale,
    question: campaign.question,
    name: invitation.contact.name,
    surveyUrl: surveyUrl(token),
    unsubscribeUrl: unsubscribeUrl(token),
  });
  try {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: senderEmail(),
        Destination: { ToAddresses: [email] },
        Content: {
          Simple: {
            Subject: { Data: rendered.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: rendered.html, Charset: 'UTF-8' }, Text: { Data: rendered.text, Charset: 'UTF-8' } },
            Headers: rendered.headers.map((h) => ({ Name: h.name, Value: h.value })),
          },
        },
        EmailTags: [
          { Name: 'campaignId', Value: campaign.id },
          { Name: 'invitationId', Value: invitation.id.replace(/[^A-Za-z0-9_-]/g, '_') },
        ],
        ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof SESv2ServiceException && PERMANENT_SES_ERRORS.has(error.name)) {
      await settle(invitation.id, invitation.campaignId, claimedAt, 'failed', now, error.name);
      return 'failed';
    }
    await release(invitation.id, claimedAt);
    throw error;
  }
  await settle(invitation.id, invitation.campaignId, claimedAt, 'sent', now);
  return 'sent';
};
