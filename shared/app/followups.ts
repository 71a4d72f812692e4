import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DomainError, notFound } from '#shared/core/errors';
import { once } from '#shared/table/lease';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory, ulid } from 'ulid';
import { dynamo } from '#shared/aws/clients';
import { publishAlert } from '#shared/app/alerts';
import { count } from '#shared/aws/metrics';
import { sendMessages } from '#shared/aws/queue';
import { batchWriteAll, queryAll, queryPages } from '#shared/table/query';
import { requireEnv, tableName } from '#shared/aws/config';
import { findCampaign } from '#shared/app/campaigns';
import { findInvitation } from '#shared/app/invitations';
import { findResponse } from '#shared/app/responses';
import { FOLLOWUP_EVENT_PREFIX, FollowupEvent, FollowupItem, gsi1, gsi2, keys, withoutKeys } from '#shared/table/items';
import { cancellationCodes, transactWrite } from '#shared/table/transactions';
import { category } from '#shared/core/nps';
import { decodeCursor, encodeCursor } from '#shared/table/cursor';
import type { FollowupStatus } from '#shared/core/vocabulary';
import type { FollowupCase, FollowupPage, FollowupPatch, Note } from '#shared/contract/followups';
import { env, queues } from '#shared/contract/wiring';

/** How long a manager has to act on a detractor before the case is overdue. */
export const followupSlaHours = (): number => Number(process.env[env.followupSlaHours] ?? 48);

/** Asks the follow-up consumer to look at these invitations' responses; it is idempotent per invitation. */
export const requestFollowups = (invitationIds: readonly string[]): Promise<void> =>
  sendMessages(
    requireEnv(queues.followups.urlEnv),
    [...new Set(invitationIds)].map((invitationId) => ({ body: { invitationId } })),
  );

/** The follow-up case opened for an invitation, read consistently: it must see a case created a moment ago. */
export const caseIdFor = async (invitationId: string): Promise<string | undefined> => {
  const out = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: keys.followupGuard(invitationId), ConsistentRead: true }),
  );
  const id: unknown = out.Item?.followupId;
  return typeof id === 'string' ? id : undefined;
};

const loadCase = async (id: string): Promise<FollowupItem | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.followup(id), ConsistentRead: true }));
  return out.Item ? FollowupItem.parse(withoutKeys(out.Item)) : undefined;
};

/**
 * Creates the case and its per-invitation guard together; false when the guard already exists
 * or the invitation's contact has been erased (the contact read for the case may predate it).
 */
const createCase = async (item: FollowupItem): Promise<boolean> => {
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.followupGuard(item.invitationId), followupId: item.id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.followup(item.id),
            GSI1PK: gsi1.followups,
            GSI1SK: item.id,
            GSI2PK: gsi2.openFollowups,
            GSI2SK: `${item.dueAt}#${item.id}`,
            ...item,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: keys.invitation(item.invitationId),
          ConditionExpression: 'attribute_not_exists(erasedAt)',
        },
      },
    ]);
    return true;
  } catch (error) {
    const [guard, , invitation] = cancellationCodes(error);
    if (guard === 'ConditionalCheckFailed' || invitation === 'ConditionalCheckFailed') return false;
    throw error;
  }
};

/**
 * Copies the response's score and comment onto its case; false when the case has been erased,
 * which DynamoDB checks, since the response may have been read before the erasure.
 */
const copyAnswerToCase = async (caseId: string, response: { score: number; comment?: string }): Promise<boolean> => {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.followup(caseId),
        UpdateExpression: response.comment ? 'SET #comment = :comment, score = :score' : 'SET score = :score REMOVE #comment',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(erasedAt)',
        ExpressionAttributeNames: { '#comment': 'comment' },
        ExpressionAttributeValues: { ':score': response.score, ...(response.comment ? { ':comment': response.comment } : {}) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * Brings the follow-up for one invitation up to date with its response. A response that is a
 * detractor opens exactly one case (a guard item per invitation makes creation idempotent) and
 * publishes one alert (recorded on the case as alertedAt, so a redelivered message does not
 * alert again). A later comment is copied onto the existing case.
 */
export const syncFollowup = async (invitationId: string, now = new Date()): Promise<'opened' | 'updated' | 'none'> => {
  const response = await findResponse(invitationId);
  if (!response) return 'none';
  let caseId = await caseIdFor(invitationId);
  let outcome: 'opened' | 'updated' | 'none' = 'none';
  if (!caseId) {
    if (category(response.score) !== 'detractor') return 'none';
    const invitation = await findInvitation(invitationId);
    const item: FollowupItem = {
      id: ulid(now.getTime()),
      campaignId: response.campaignId,
      invitationId,
      score: response.score,
      ...(response.comment ? { comment: response.comment } : {}),
      status: 'open',
      dueAt: new Date(now.getTime() + followupSlaHours() * 3_600_000).toISOString(),
      contact: {
        ...(invitation?.contact.name ? { name: invitation.contact.name } : {}),
        ...(invitation?.contact.email ? { email: invitation.contact.email } : {}),
        ...(invitation?.contact.phone ? { phone: invitation.contact.phone } : {}),
      },
      segments: response.segments,
      notes: [],
      createdAt: now.toISOString(),
    };
    if (await createCase(item)) {
      outcome = 'opened';
      count('Detractors');
    }
    caseId = outcome === 'opened' ? item.id : await caseIdFor(invitationId);
  }
  if (!caseId) return outcome;
  const current = await loadCase(caseId);
  if (!current) return outcome;
  if (current.comment !== response.comment || current.score !== response.score) {
    if (!(await copyAnswerToCase(caseId, response))) return outcome;
    if (outcome === 'none') outcome = 'updated';
  }
  if (!current.alertedAt) {
    const campaign = await findCampaign(current.campaignId);
    const latest = { ...current, score: response.score, ...(response.comment ? { comment: response.comment } : {}) };
    await once(
      // An erasure that lands before the claim cancels the alert: it would carry the comment.
      { key: keys.followup(caseId), doneAttr: 'alertedAt', claimAttr: 'alertingAt', leaseMs: 60_000, what: 'the alert', cancelledBy: 'erasedAt' },
      () => publishAlert(latest, campaign?.name ?? current.campaignId),
      now,
    );
  }
  return outcome;
};

/** Follow-up cases, newest first, optionally by status and campaign. */
export const listFollowups = async (filter: { status?: FollowupStatus; campaignId?: string }, limit = 50, cursor?: string): Promise<FollowupPage> => {
  const conditions: string[] = [];
  const values: Record<string, string> = { ':pk': gsi1.followups };
  if (filter.status) {
    conditions.push('#status = :status');
    values[':status'] = filter.status;
  }
  if (filter.campaignId) {
    conditions.push('campaignId = :campaignId');
    values[':campaignId'] = filter.campaignId;
  }
  const out = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
      ...(filter.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, { attribute: 'GSI1PK', value: gsi1.followups }),
    }),
  );
  return {
    items: await Promise.all((out.Items ?? []).map((item) => caseView(FollowupItem.parse(withoutKeys(item))))),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
};

/**
 * How many of a case's latest notes a case read shows: a page of 50 cases then stays far below
 * the 6 MB a Lambda may answer, however many notes each case has.
 */
export const NOTES_SHOWN = 20;

/** The case's latest notes from its timeline, oldest first. */
const latestNotes = async (caseId: string): Promise<Note[]> => {
  const newestFirst: Note[] = [];
  const pages = queryPages({
    TableName: tableName(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
    FilterExpression: '#type = :note',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':pk': keys.followup(caseId).PK, ':events': FOLLOWUP_EVENT_PREFIX, ':note': 'note' },
    ScanIndexForward: false,
    Limit: NOTES_SHOWN,
  });
  for await (const page of pages) {
    for (const stored of page) {
      const event = FollowupEvent.parse(withoutKeys(stored));
      if (event.type === 'note') newestFirst.push({ at: event.at, text: event.text });
    }
    if (newestFirst.length >= NOTES_SHOWN) break;
  }
  return newestFirst.slice(0, NOTES_SHOWN).reverse();
};

/** A case as the API shows it: no segments or alert bookkeeping, its latest notes and how many it has. */
const caseView = async (item: FollowupItem): Promise<FollowupCase> => {
  const { segments: _segments, alertedAt: _alertedAt, notes: earlier, noteCount, ...view } = item;
  const notes = [...earlier, ...(await latestNotes(item.id))].slice(-NOTES_SHOWN);
  return { ...view, notes, noteCount: earlier.length + (noteCount ?? 0) };
};

/** The timeline entries a manager's change makes: one for each thing changed. */
export const timelineEntries = (caseId: string, patch: FollowupPatch, at: string): FollowupEvent[] => [
  ...(patch.status ? [{ type: 'status' as const, caseId, at, status: patch.status }] : []),
  ...(patch.assignee ? [{ type: 'assignee' as const, caseId, at, assignee: patch.assignee }] : []),
  ...(patch.note ? [{ type: 'note' as const, caseId, at, text: patch.note }] : []),
];

// Timeline entries written in one millisecond still sort in the order they were made.
const nextEventId = monotonicFactory();

/**
 * A manager works a case: moves its status, assigns it, or adds a note. The case item takes only
 * the current status and assignee; each change is also a timeline entry of its own, written in
 * the same transaction, so no number of notes can grow the case past DynamoDB's 400 KB.
 */
export const updateFollowup = async (id: string, patch: FollowupPatch, now = new Date()) => {
  const set: string[] = ['updatedAt = :now'];
  const values: Record<string, unknown> = { ':now': now.toISOString() };
  const remove: string[] = [];
  if (patch.status) {
    set.push('#status = :status');
    values[':status'] = patch.status;
    if (patch.status === 'resolved') set.push('resolvedAt = if_not_exists(resolvedAt, :now)');
    // A case someone has acted on is no longer watched for escalation.
    if (patch.status !== 'open') remove.push('GSI2PK', 'GSI2SK');
  }
  if (patch.assignee) {
    set.push('assignee = :assignee');
    values[':assignee'] = patch.assignee;
  }
  if (patch.note) values[':one'] = 1;
  const entries = timelineEntries(id, patch, now.toISOString());
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName(),
          Key: keys.followup(id),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}${patch.note ? ' ADD noteCount :one' : ''}`,
          ConditionExpression: 'attribute_exists(PK)',
          ...(patch.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ExpressionAttributeValues: values,
        },
      },
      ...entries.map((entry) => ({
        Put: {
          TableName: tableName(),
          Item: { ...keys.followupEvent(id, nextEventId(now.getTime())), ...entry },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })),
    ]);
  } catch (error) {
    const [onCase] = cancellationCodes(error);
    if (onCase === 'ConditionalCheckFailed') throw notFound('Follow-up');
    if (onCase === 'TransactionConflict') throw new DomainError('conflict', 'the case was changed at the same moment; try again');
    throw error;
  }
  const updated = await loadCase(id);
  if (!updated) throw notFound('Follow-up');
  return caseView(updated);
};

/** Deletes a case's notes, which may quote the customer (erasure); the other timeline entries hold no personal data. */
export const deleteNotes = async (caseId: string): Promise<void> => {
  const notes = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
    FilterExpression: '#type = :note',
    ProjectionExpression: 'PK, SK',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':pk': keys.followup(caseId).PK, ':events': FOLLOWUP_EVENT_PREFIX, ':note': 'note' },
  });
  await batchWriteAll(
    tableName(),
    notes.map((note) => ({ DeleteRequest: { Key: { PK: note.PK, SK: note.SK } } })),
  );
};

/**
 * Escalates overdue cases once: every case still open past its due time gets one more alert
 * (type "overdue"), then leaves the watch index, so it is never escalated again. Reading the
 * sparse index costs only the cases that are due.
 */
export const escalateOverdue = async (now = new Date()): Promise<number> => {
  let escalated = 0;
  const overdue = queryPages({
    TableName: tableName(),
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :now',
    ExpressionAttributeValues: { ':pk': gsi2.openFollowups, ':now': now.toISOString() },
  });
  for await (const page of overdue) {
    for (const stored of page) {
      const item = FollowupItem.parse(withoutKeys(stored));
      const campaign = await findCampaign(item.campaignId);
      const sent = await once(
        { key: keys.followup(item.id), doneAttr: 'escalatedAt', claimAttr: 'escalatingAt', leaseMs: 60_000, what: 'the escalation' },
        () => publishAlert(item, campaign?.name ?? item.campaignId, 'overdue'),
        now,
      );
      await dynamo.send(
        new UpdateCommand({ TableName: tableName(), Key: keys.followup(item.id), UpdateExpression: 'REMOVE GSI2PK, GSI2SK' }),
      );
      if (sent) {
        escalated += 1;
        count('OverdueCasesEscalated');
      }
    }
  }
  return escalated;
};
