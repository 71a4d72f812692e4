import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { contactKey } from '#shared/core/contacts';
import { keys, storedResponse, type InvitationItem, type ResponseItem } from '#shared/table/items';
import { EffectInFlight, once } from '#shared/table/lease';
import { normalizePhone } from '#shared/core/phones';
import { answerWrites, surveyById, type Survey } from '#shared/app/responses';
import { recordOptOut, withdrawOptOut } from '#shared/app/contact-blocks';
import { tagComment } from '#shared/app/themes';
import { COMMENT_MAX } from '#shared/core/vocabulary';
import type { AnswerInput } from '#shared/contract/responses';
import { sendSms } from '#shared/aws/sms';
import { count } from '#shared/aws/metrics';
import { parseReply, type Reply } from '#shared/core/sms-replies';
import { cancellationCodes, transactWrite } from '#shared/table/transactions';
import { followUpSms, helpSms, repromptSms, startSms, stopSms, thanksSms, type SmsCampaign } from '#shared/render/sms-text';

/** What AWS End User Messaging two-way SMS publishes to the inbound topic for each message. */
export const InboundSms = z.object({
  originationNumber: z.string().check(z.minLength(1), z.maxLength(40)),
  destinationNumber: z.optional(z.string().check(z.maxLength(40))),
  messageKeyword: z.optional(z.string().check(z.maxLength(100))),
  messageBody: z.string().check(z.maxLength(5000)),
  inboundMessageId: z.string().check(z.minLength(1), z.maxLength(200)),
  previousPublishedMessageId: z.optional(z.string().check(z.maxLength(200))),
});
export type InboundSms = z.infer<typeof InboundSms>;

const Stage = z.enum(['awaiting_score', 'awaiting_comment', 'done', 'closed']);
type Stage = z.infer<typeof Stage>;
const Conversation = z.object({
  invitationId: z.string(),
  stage: Stage,
  reprompted: z._default(z.boolean(), false),
  /** Words texted while the score was awaited: the comment once the score lands. Personal data. */
  pendingText: z.optional(z.string()),
  /** Bumped by every transition; absent on a conversation no transition has touched since it opened before versions. */
  version: z.optional(z.int()),
});
export type Conversation = z.infer<typeof Conversation>;

/**
 * The write that opens (or replaces) the phone's conversation with its newest invitation, since
 * replies map to the phone's latest open invitation. It goes in the transaction that settles the
 * send, so a sent invitation always has its conversation.
 */
export const conversationWrite = (invitation: InvitationItem & { contactKey: string }, now: Date) => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.conversation(invitation.contactKey),
      invitationId: invitation.id,
      campaignId: invitation.campaignId,
      stage: 'awaiting_score',
      reprompted: false,
      version: 0,
      openedAt: now.toISOString(),
    },
  },
});

/** Forgets the words a phone texted that never became a comment (erasure). */
export const forgetPendingText = async (contactKeyOfPhone: string): Promise<void> => {
  await dynamo
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.conversation(contactKeyOfPhone),
        UpdateExpression: 'REMOVE pendingText',
        ConditionExpression: 'attribute_exists(PK)',
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
};

/** Closes the conversation whatever its stage, so no transition in flight can reopen it. */
const close = async (key: string, invitationId: string) => {
  await dynamo
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.conversation(key),
        UpdateExpression: 'SET #stage = :closed, version = if_not_exists(version, :zero) + :one REMOVE pendingText',
        ConditionExpression: 'invitationId = :invitationId',
        ExpressionAttributeNames: { '#stage': 'stage' },
        ExpressionAttributeValues: { ':closed': 'closed', ':zero': 0, ':one': 1, ':invitationId': invitationId },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
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
  | 'kept'
  | 'reprompted'
  | 'ignored'
  | 'no_survey'
  | 'duplicate';

const isOptedOut = async (key: string) =>
  (await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.optOut(key), ConsistentRead: true }))).Item !== undefined;

/** A reply that is part of the survey (keywords are handled before). */
type SurveyReply = Extract<Reply, { kind: 'score' | 'unclear' | 'text' }>;

/** What one message does: the conversation after it, the answer recorded with it, the text sent after. */
export interface Step {
  readonly outcome: InboundOutcome;
  /** The conversation after the message; none when it changes nothing. */
  readonly next?: { readonly stage: Stage; readonly reprompted: boolean; readonly pendingText?: string };
  readonly answer?: AnswerInput;
  readonly send?: 'reprompt' | 'followUp' | 'thanks';
}

const joined = (before: string | undefined, text: string) => (before ? `${before}\n${text}` : text).slice(0, COMMENT_MAX);

/**
 * While a score is awaited, the first valid number is the score and takes any words kept so far
 * as its comment (then thanks; with none, the follow-up question), words without a number are
 * kept for it, and the first unclear reply or kept words get the one re-prompt; once scored, a
 * plain number replaces the score and any other text is appended to the comment.
 */
export const nextStep = (
  conversation: Pick<Conversation, 'stage' | 'reprompted' | 'pendingText'>,
  reply: SurveyReply,
  response: Pick<ResponseItem, 'score' | 'comment'> | undefined,
): Step => {
  const { stage, reprompted, pendingText } = conversation;
  if (stage === 'awaiting_score') {
    if (reply.kind === 'score') {
      return pendingText
        ? { outcome: 'score', next: { stage: 'done', reprompted }, answer: { score: reply.score, comment: pendingText }, send: 'thanks' }
        : { outcome: 'score', next: { stage: 'awaiting_comment', reprompted }, answer: { score: reply.score }, send: 'followUp' };
    }
    const words = reply.kind === 'text' ? reply.text.trim() : '';
    const kept = words ? joined(pendingText, words) : pendingText;
    const next = { stage, reprompted: true, ...(kept ? { pendingText: kept } : {}) };
    if (!reprompted) return { outcome: 'reprompted', next, send: 'reprompt' };
    return words ? { outcome: 'kept', next } : { outcome: 'ignored' };
  }
  if (reply.kind === 'score') return { outcome: 'score_changed', next: { stage, reprompted }, answer: { score: reply.score } };
  const text = reply.text.trim();
  if (!text || !response) return { outcome: 'ignored' };
  return {
    outcome: 'comment',
    next: { stage: 'done', reprompted },
    answer: { score: response.score, comment: joined(response.comment, text) },
    ...(stage === 'awaiting_comment' ? { send: 'thanks' as const } : {}),
  };
};

const readResponse = async (invitationId: string) => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.response(invitationId), ConsistentRead: true }));
  return storedResponse(out.Item);
};

type Commit = 'committed' | 'conflict' | 'applied_before';

/**
 * Commits a step in one transaction: the conversation, only at the version the step was
 * decided on; the inbound message's marker, applied once; and the answer. Both or neither.
 */
const commit = async (
  key: string,
  conversation: Conversation,
  step: Step & { next: NonNullable<Step['next']> },
  survey: Survey,
  marker: { PK: string; SK: string },
  now: Date,
): Promise<Commit> => {
  const { next } = step;
  const versioned = conversation.version !== undefined;
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName(),
          Key: keys.conversation(key),
          UpdateExpression: `SET #stage = :stage, reprompted = :reprompted, version = :next${next.pendingText ? ', pendingText = :pending' : ' REMOVE pendingText'}`,
          ConditionExpression: `invitationId = :invitationId AND ${versioned ? 'version = :version' : 'attribute_not_exists(version)'}`,
          ExpressionAttributeNames: { '#stage': 'stage' },
          ExpressionAttributeValues: {
            ':stage': next.stage,
            ':reprompted': next.reprompted,
            ':next': (conversation.version ?? 0) + 1,
            ':invitationId': conversation.invitationId,
            ...(versioned ? { ':version': conversation.version } : {}),
            ...(next.pendingText ? { ':pending': next.pendingText } : {}),
          },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: marker,
          UpdateExpression: 'SET appliedAt = :now',
          ConditionExpression: 'attribute_not_exists(appliedAt)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        },
      },
      ...(step.answer ? answerWrites(survey.invitation, step.answer, await tagComment(step.answer.comment, survey.campaign.locale), now) : []),
    ]);
    return 'committed';
  } catch (error) {
    const [conversationCheck, markerCheck] = cancellationCodes(error);
    if (markerCheck === 'ConditionalCheckFailed') return 'applied_before';
    if (conversationCheck === 'ConditionalCheckFailed') return 'conflict';
    throw error;
  }
};

const MAX_TRANSITION_ATTEMPTS = 10;
const TEXTS: Record<NonNullable<Step['send']>, (campaign: SmsCampaign) => string> = {
  reprompt: repromptSms,
  followUp: followUpSms,
  thanks: thanksSms,
};

/**
 * One inbound SMS, in the conversation of the phone's latest invitation:
 * STOP (and its synonyms, any case) opts the number out of every campaign and START back in;
 * HELP answers; an opted-out number gets nothing back but the START confirmation. Anything else
 * moves the conversation as `nextStep` says. Messages that cross are applied one after the
 * other: a step commits only against the version of the conversation it was decided on, and
 * when another message moved it first, it is read again and decided again, so the result is
 * always that of one order in which the messages could have arrived, and texts go out only
 * for steps that committed.
 */
const apply = async (e164: string, body: string, marker: { PK: string; SK: string }, now: Date): Promise<InboundOutcome> => {
  const key = contactKey('phone', e164);
  // Not a retry with backoff: a lost race means the other message has committed, so it is read
  // again at once; a transaction still in flight is transactWrite's to wait out.
  for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
    const stored = (await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.conversation(key), ConsistentRead: true }))).Item;
    const conversation = stored ? Conversation.parse(stored) : undefined;
    const survey = conversation ? await surveyById(conversation.invitationId) : undefined;
    const texts = textsFor(survey);
    const reply = parseReply(body, texts.locale);

    if (reply.kind === 'stop') {
      await recordOptOut(key, 'sms', now);
      if (conversation && survey) await close(key, conversation.invitationId);
      await sendSms(e164, stopSms(texts));
      return 'opted_out';
    }
    if (reply.kind === 'start') {
      await withdrawOptOut(key, now);
      await sendSms(e164, startSms(texts));
      return 'opted_in';
    }
    if (await isOptedOut(key)) return 'ignored';
    if (reply.kind === 'help') {
      await sendSms(e164, helpSms(texts));
      return 'help';
    }
    if (!conversation || !survey || conversation.stage === 'closed') return 'no_survey';

    const response = conversation.stage === 'awaiting_score' ? undefined : await readResponse(conversation.invitationId);
    const step = nextStep(conversation, reply, response);
    if (!step.next) return step.outcome;
    const committed = await commit(key, conversation, { ...step, next: step.next }, survey, marker, now);
    if (committed === 'conflict') continue;
    if (committed === 'applied_before') return 'duplicate';
    if (step.outcome === 'score' || step.outcome === 'score_changed') count('AnswersRecorded', survey.invitation.channel);
    if (step.send) await sendSms(e164, TEXTS[step.send](texts));
    return step.outcome;
  }
  // Still losing races after this many tries: let the delivery retry it later.
  throw new EffectInFlight('the conversation');
};

/**
 * Applies an inbound SMS once per inboundMessageId: a marker item is created for the id, then
 * the message is applied under a lease on it (see `once`), so a duplicate delivery, even a
 * concurrent one, changes nothing a second time. A transition also marks the id applied in its
 * own transaction, so an attempt that dies after committing is not applied again by the retry.
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
      outcome = await apply(phone.e164, message.messageBody, marker, now);
    },
    now,
  );
  return outcome;
};
