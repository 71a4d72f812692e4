import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { surveyExpiryDays, tableName, tokenSecret } from '#shared/aws/config';
import { notFound } from '#shared/core/errors';
import { campaignOf } from '#shared/app/campaigns';
import { findInvitation } from '#shared/app/invitations';
import { recordOptOut } from '#shared/app/contact-blocks';
import { feedAttributes, keys, ResponseItem, storedResponse, type CampaignItem, type InvitationItem } from '#shared/table/items';
import { contactKey } from '#shared/core/contacts';
import { count } from '#shared/aws/metrics';
import type { TransactItem } from '#shared/table/transactions';
import type { AnswerInput } from '#shared/contract/responses';
import { verifyToken, type TokenPurpose } from '#shared/core/tokens';
import { tagComment, type CommentTags } from '#shared/app/themes';
import { themesThatFit } from '#shared/core/aggregates';

export interface Survey {
  readonly invitation: InvitationItem;
  readonly campaign: CampaignItem;
}

/**
 * The invitation and campaign behind a token of this purpose. A forged token, an unknown one, a
 * token of the other purpose and an erased invitation all look the same to the caller: not found.
 * An erased invitation is refused before the campaign is looked up, so it costs what an unknown
 * one does. The campaign is read once per container (campaigns never change).
 */
export const openSurvey = async (token: string, purpose: TokenPurpose): Promise<Survey> => {
  const invitationId = verifyToken(await tokenSecret(), token, purpose);
  const invitation = invitationId ? await findInvitation(invitationId) : undefined;
  const campaign = invitation && !invitation.erasedAt ? await campaignOf(invitation.campaignId) : undefined;
  if (!invitation || !campaign) throw notFound('Survey');
  return { invitation, campaign };
};

const DAY_MS = 86_400_000;

/**
 * A survey link closes `days` after its invitation went out (or was made, if it never went
 * out). The rule is checked here against the stored send time rather than signed into the
 * token, so links stay short and a changed setting applies to links already sent.
 */
export const surveyClosesAt = (invitation: InvitationItem, days: number = surveyExpiryDays()): Date =>
  new Date(Date.parse(invitation.sentAt ?? invitation.createdAt) + days * DAY_MS);

export const isClosed = ({ invitation }: Survey, now = new Date()): boolean => now.getTime() >= surveyClosesAt(invitation).getTime();

/** The survey behind an invitation id (an SMS conversation knows the id, not a token). */
export const surveyById = async (invitationId: string): Promise<Survey | undefined> => {
  const invitation = await findInvitation(invitationId);
  const campaign = invitation && !invitation.erasedAt ? await campaignOf(invitation.campaignId) : undefined;
  return invitation && campaign ? { invitation, campaign } : undefined;
};

/** The invitation's response; none when it was never answered (an erasure's tombstone is none too). */
export const findResponse = async (invitationId: string, consistent = false): Promise<ResponseItem | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.response(invitationId), ConsistentRead: consistent }));
  return storedResponse(out.Item);
};

/**
 * The first click on an invitation's links is recorded once; later clicks change nothing. The
 * campaign's `clicked` count follows from the stream (shared/app/score-stream.ts), exactly once.
 */
export const recordClick = async (invitation: InvitationItem, now = new Date()): Promise<void> => {
  if (invitation.clickedAt) return;
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(invitation.id),
        UpdateExpression: 'SET clickedAt = :now, countsFromStream = :true',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(clickedAt)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':true': true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

/**
 * One response per invitation: the first answer creates it, a later one replaces score and
 * comment (an empty comment clears it; no comment field keeps it). The day and segments of the
 * first answer stay, so an edit moves the response between categories, never between buckets.
 * Every write bumps `version`; the stream carries old and new images to the score counter.
 * Nothing is written for an erased contact: erasure marks the response item (or leaves a
 * tombstone at its key when there was no answer yet), and the one conditioned write refuses a
 * marked item, so a page read before the erasure stores nothing after it. One UpdateItem that
 * returns what it stored: one write unit and no read.
 */
export const recordAnswer = async ({ invitation, campaign }: Survey, answer: AnswerInput, now = new Date()): Promise<ResponseItem> => {
  const tags = await tagComment(answer.comment, campaign.locale);
  let stored: Record<string, unknown> | undefined;
  try {
    stored = (await dynamo.send(new UpdateCommand({ ...answerUpdate(invitation, answer, tags, now), ReturnValues: 'ALL_NEW' }))).Attributes;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw notFound('Survey');
    throw error;
  }
  count('AnswersRecorded', invitation.channel);
  return ResponseItem.parse(stored);
};

/**
 * The write that records an answer, for recordAnswer and for a transaction that records it with
 * other items (an SMS step): one conditioned update of the response, refused once erasure has
 * marked it or left its tombstone. A comment is stored with its themes (`tags`, from
 * tagComment); an answer without a comment field keeps both.
 */
export const answerWrites = (invitation: InvitationItem, answer: AnswerInput, tags: CommentTags, now = new Date()): TransactItem[] => [
  { Update: answerUpdate(invitation, answer, tags, now) },
];

/** The response's UpdateItem input that records an answer (see answerWrites). */
const answerUpdate = (invitation: InvitationItem, answer: AnswerInput, tags: CommentTags, now: Date) => {
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
    // The feed's keys follow the first answer, as firstAnsweredAt does: an edit keeps them. (A
    // response from before the feed is given its keys by the re-tag sweep, from firstAnsweredAt.)
    'GSI1PK = :gsi1pk',
    'GSI1SK = if_not_exists(GSI1SK, :gsi1sk)',
    'GSI4PK = if_not_exists(GSI4PK, :gsi4pk)',
    'GSI4SK = if_not_exists(GSI4SK, :gsi4sk)',
  ];
  if (comment) set.push('#comment = :comment', 'commentFolded = :folded');
  if (comment !== undefined) set.push('themes = :themes', 'themesVersion = :themesVersion');
  const remove = comment === '' ? ' REMOVE #comment, commentFolded' : '';
  const feed = feedAttributes({ invitationId: invitation.id, campaignId: invitation.campaignId, firstAnsweredAt: now.toISOString(), comment });
  return {
    TableName: tableName(),
    Key: keys.response(invitation.id),
    UpdateExpression: `SET ${set.join(', ')}${remove}`,
    ConditionExpression: 'attribute_not_exists(erasedAt)',
    ExpressionAttributeNames: { '#day': 'day', '#segments': 'segments', ...(comment !== undefined ? { '#comment': 'comment' } : {}) },
    ExpressionAttributeValues: {
      ':score': answer.score,
      ':now': now.toISOString(),
      ':invitationId': invitation.id,
      ':campaignId': invitation.campaignId,
      ':day': now.toISOString().slice(0, 10),
      ':segments': invitation.segments,
      ':gsi1pk': feed.GSI1PK,
      ':gsi1sk': feed.GSI1SK,
      ':gsi4pk': feed.GSI4PK,
      ':gsi4sk': feed.GSI4SK,
      ':zero': 0,
      ':one': 1,
      ...(comment ? { ':comment': comment, ':folded': feed.commentFolded } : {}),
      ...(comment !== undefined ? { ':themes': comment ? themesThatFit(tags.themes, invitation.segments) : [], ':themesVersion': tags.version } : {}),
    },
  };
};

/**
 * Opts the invitation's contact out of every campaign (the one-click unsubscribe target): the
 * invitations still to reach them are marked too, so none goes out (shared/app/contact-blocks.ts).
 */
export const optOut = async ({ invitation }: Survey, now = new Date()): Promise<void> => {
  const email = invitation.contact.email;
  if (!email) return;
  await recordOptOut(contactKey('email', email), 'unsubscribe', now);
};
