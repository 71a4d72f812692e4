import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '#shared/clients';
import { tableName, tokenSecret } from '#shared/config';
import { notFound } from '#shared/errors';
import { findCampaign } from '#shared/campaigns';
import { findInvitation } from '#shared/invitations';
import { gsi1, keys, ResponseItem, type CampaignItem, type InvitationItem } from '#shared/items';
import { contactKey } from '#shared/contacts';
import { countIn } from '#shared/counters';
import { transactWrite } from '#shared/transactions';
import type { AnswerInput } from '#shared/schemas';
import { verifyToken } from '#shared/tokens';

export interface Survey {
  readonly invitation: InvitationItem;
  readonly campaign: CampaignItem;
}

/**
 * The invitation and campaign behind a token. A forged token, an unknown one and an erased
 * invitation all look the same to the caller: not found.
 */
export const openSurvey = async (token: string): Promise<Survey> => {
  const invitationId = verifyToken(await tokenSecret(), token);
  const invitation = invitationId ? await findInvitation(invitationId) : undefined;
  const campaign = invitation ? await findCampaign(invitation.campaignId) : undefined;
  if (!invitation || !campaign) throw notFound('Survey');
  return { invitation, campaign };
};

/** The survey behind an invitation id (an SMS conversation knows the id, not a token). */
export const surveyById = async (invitationId: string): Promise<Survey | undefined> => {
  const invitation = await findInvitation(invitationId);
  const campaign = invitation && !invitation.erasedAt ? await findCampaign(invitation.campaignId) : undefined;
  return invitation && campaign ? { invitation, campaign } : undefined;
};

export const findResponse = async (invitationId: string): Promise<ResponseItem | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.response(invitationId) }));
  return out.Item ? ResponseItem.parse(out.Item) : undefined;
};

/** The first click on an invitation's links is counted once; later clicks change nothing. */
export const recordClick = async (invitation: InvitationItem, now = new Date()): Promise<void> => {
  if (invitation.clickedAt) return;
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName(),
          Key: keys.invitation(invitation.id),
          UpdateExpression: 'SET clickedAt = :now',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(clickedAt)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        },
      },
      countIn(invitation.campaignId, { clicked: 1 }),
    ]);
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
  }
};

/**
 * One response per invitation: the first answer creates it, a later one replaces score and
 * comment (an empty comment clears it; no comment field keeps it). The day and segments of the
 * first answer stay, so an edit moves the response between categories, never between buckets.
 * Every write bumps `version`; the stream carries old and new images to the score counter.
 */
export const recordAnswer = async ({ invitation }: Survey, answer: AnswerInput, now = new Date()): Promise<ResponseItem> => {
  const out = await dynamo.send(new UpdateCommand({ ...answerUpdate(invitation, answer, now), ReturnValues: 'ALL_NEW' }));
  return ResponseItem.parse(out.Attributes);
};

/** The write recordAnswer makes, for a transaction that must record an answer with other items. */
export const answerUpdate = (invitation: InvitationItem, answer: AnswerInput, now = new Date()) => {
  const comment = answer.comment?.trim();
  const set = [
    'score = :score',
    'answeredAt = :now',
    'invitationId = :invitationId',
    'campaignId = :campaignId',
    'firstAnsweredAt = if_not_exists(firstAnsweredAt, :now)',
    '#day = if_not_exists(#day, :day)',
    '#segments = if_not_exists(#segments, :segments)',
    'version = if_not_exists(version, :zero) + :one',
    // Lists a campaign's responses (export) through GSI1.
    'GSI1PK = :gsi1pk',
    'GSI1SK = :invitationId',
  ];
  if (comment) set.push('#comment = :comment');
  const remove = comment === '' ? ' REMOVE #comment' : '';
  return {
    TableName: tableName(),
    Key: keys.response(invitation.id),
    UpdateExpression: `SET ${set.join(', ')}${remove}`,
    ExpressionAttributeNames: { '#day': 'day', '#segments': 'segments', ...(comment !== undefined ? { '#comment': 'comment' } : {}) },
    ExpressionAttributeValues: {
      ':score': answer.score,
      ':now': now.toISOString(),
      ':invitationId': invitation.id,
      ':campaignId': invitation.campaignId,
      ':day': now.toISOString().slice(0, 10),
      ':segments': invitation.segments,
      ':gsi1pk': gsi1.campaignResponses(invitation.campaignId),
      ':zero': 0,
      ':one': 1,
      ...(comment ? { ':comment': comment } : {}),
    },
  };
};

/** Opts the invitation's contact out of every future campaign (one-click unsubscribe target). */
export const optOut = async ({ invitation }: Survey, now = new Date()): Promise<void> => {
  const email = invitation.contact.email;
  if (!email) return;
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.optOut(contactKey('email', email)), optedOutAt: now.toISOString(), via: 'unsubscribe' },
    }),
  );
};

