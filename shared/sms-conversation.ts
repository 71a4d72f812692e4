import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { dynamo } from '#shared/clients';
import { tableName } from '#shared/config';
import { contactKey } from '#shared/contacts';
import { keys, type InvitationItem } from '#shared/items';
import { EffectInFlight, once } from '#shared/lease';
import { normalizePhone } from '#shared/phones';
import { findResponse, recordAnswer, surveyById, type Survey } from '#shared/responses';
import { COMMENT_MAX } from '#shared/schemas';
import { sendSms } from '#shared/sms';
import { parseReply } from '#shared/sms-replies';
import { followUpSms, helpSms, repromptSms, startSms, stopSms, thanksSms, type SmsCampaign } from '#shared/sms-text';

/** What AWS End User Messaging two-way SMS publishes to the inbound topic for each message. */
export const InboundSms = z.object({
  originationNumber: z.string().min(1).max(40),
  destinationNumber: z.string().max(40).optional(),
  messageKeyword: z.string().max(100).optional(),
  messageBody: z.string().max(5000),
  inboundMessageId: z.string().min(1).max(200),
  previousPublishedMessageId: z.string().max(200).optional(),
});
export type InboundSms = z.infer<typeof InboundSms>;

const Stage = z.enum(['awaiting_score', 'awaiting_comment', 'done', 'closed']);
const Conversation = z.object({ invitationId: z.string(), stage: Stage, reprompted: z.boolean().default(false) });
type Conversation = z.infer<typeof Conversation>;

/**
 * Opens (or replaces) the phone's conversation with its newest invitation: replies map to the
 * phone's latest open invitation.
 */
export const openConversation = async (invitation: InvitationItem, now = new Date()): Promise<void> => {
  if (!invitation.contactKey) return;
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.conversation(invitation.contactKey),
        invitationId: invitation.id,
        campaignId: invitation.campaignId,
        stage: 'awaiting_score',
        reprompted: false,
        openedAt: now.toISOString(),
      },
    }),
  );
};

/** Moves the conversation on, only from the stage this message saw (another message may have moved it). */
const advance = async (key: string, from: Conversation, to: Partial<Conversation>) => {
  const set = Object.keys(to).map((k) => `#${k} = :${k}`);
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.conversation(key),
        UpdateExpression: `SET ${set.join(', ')}`,
        ConditionExpression: 'invitationId = :invitationId AND #stage = :from',
        ExpressionAttributeNames: { '#stage': 'stage', ...Object.fromEntries(Object.keys(to).map((k) => [`#${k}`, k])) },
        ExpressionAttributeValues: {
          ':invitationId': from.invitationId,
          ':from': from.stage,
          ...Object.fromEntries(Object.entries(to).map(([k, v]) => [`:${k}`, v])),
        },
      }),
    );
  } catch (error) {
    // Another message moved the conversation first: this one is retried against the new stage.
    if (error instanceof ConditionalCheckFailedException) throw new EffectInFlight('the conversation');
    throw error;
  }
};

const textsFor = (survey: Survey | undefined): SmsCampaign => ({
  brand: survey?.campaign.brand ?? 'npsloop',
  locale: survey?.invitation.contact.locale ?? survey?.campaign.locale ?? 'en',
  question: survey?.campaign.question,
  followUpQuestion: survey?.campaign.followUpQuestion,
});

export type InboundOutcome =
  | 'opted_out'
  | 'opted_in'
  | 'help'
  | 'score'
  | 'score_changed'
  | 'comment'
  | 'reprompted'
  | 'ignored'
  | 'no_survey'
  | 'duplicate';

const isOptedOut = async (key: string) =>
  (await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.optOut(key), ConsistentRead: true }))).Item !== undefined;

/**
 * One inbound SMS, in the conversation of the phone's latest invitation:
 * STOP (and its synonyms, any case) opts the number out of every campaign and START back in;
 * HELP answers. Otherwise, while a score is awaited, the first valid 0–10 number is the score
 * (and the follow-up question goes out), and an unclear reply gets one polite re-prompt and
 * records nothing. Once scored, a plain number replaces the score and any other text becomes
 * the comment. An opted-out number gets nothing back but the START confirmation.
 */
const apply = async (e164: string, body: string): Promise<InboundOutcome> => {
  const key = contactKey('phone', e164);
  const stored = (await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.conversation(key), ConsistentRead: true }))).Item;
  const conversation = stored ? Conversation.parse(stored) : undefined;
  const survey = conversation ? await surveyById(conversation.invitationId) : undefined;
  const texts = textsFor(survey);
  const reply = parseReply(body, texts.locale);

  if (reply.kind === 'stop') {
    await dynamo.send(new PutCommand({ TableName: tableName(), Item: { ...keys.optOut(key), via: 'sms', optedOutAt: new Date().toISOString() } }));
    if (conversation && survey) await advance(key, conversation, { stage: 'closed' }).catch(() => undefined);
    await sendSms(e164, stopSms(texts));
    return 'opted_out';
  }
  if (reply.kind === 'start') {
    await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: keys.optOut(key) }));
    await sendSms(e164, startSms(texts));
    return 'opted_in';
  }
  if (await isOptedOut(key)) return 'ignored';
  if (reply.kind === 'help') {
    await sendSms(e164, helpSms(texts));
    return 'help';
  }
  if (!conversation || !survey || conversation.stage === 'closed') return 'no_survey';

  if (conversation.stage === 'awaiting_score') {
    if (reply.kind === 'score') {
      await recordAnswer(survey, { score: reply.score });
      await advance(key, conversation, { stage: 'awaiting_comment' });
      await sendSms(e164, followUpSms(texts));
      return 'score';
    }
    if (conversation.reprompted) return 'ignored';
    await advance(key, conversation, { reprompted: true });
    await sendSms(e164, repromptSms(texts));
    return 'reprompted';
  }

  if (reply.kind === 'score') {
    await recordAnswer(survey, { score: reply.score });
    return 'score_changed';
  }
  const text = 'text' in reply ? reply.text.trim() : '';
  const existing = await findResponse(survey.invitation.id);
  if (!text || !existing) return 'ignored';
  await recordAnswer(survey, { score: existing.score, comment: text.slice(0, COMMENT_MAX) });
  if (conversation.stage === 'awaiting_comment') {
    await advance(key, conversation, { stage: 'done' });
    await sendSms(e164, thanksSms(texts));
  }
  return 'comment';
};

/**
 * Applies an inbound SMS once per inboundMessageId: a marker item is created for the id, then
 * the message is applied under a lease on it (see `once`), so a duplicate delivery, even a
 * concurrent one, changes nothing a second time.
 */
export const handleInboundSms = async (message: InboundSms, now = new Date()): Promise<InboundOutcome> => {
  const phone = normalizePhone(message.originationNumber);
  if (!phone) return 'ignored';
  const marker = keys.inboundSms(message.inboundMessageId);
  await dynamo
    .send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...marker, receivedAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  let outcome: InboundOutcome = 'duplicate';
  await once(
    { key: marker, doneAttr: 'appliedAt', claimAttr: 'applyingAt', leaseMs: 60_000, what: 'the inbound SMS' },
    async () => {
      outcome = await apply(phone.e164, message.messageBody);
    },
    now,
  );
  return outcome;
};
