/**
 * Follow-up cases: one per detractor, opened with its alert, worked by managers (assign, note,
 * status, reply) and read as the inbox, a case with its timeline, and the closed-loop figures.
 * Every change to a case is also an entry of its timeline, an item of its own beside the case.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DomainError, notFound } from '#shared/core/errors';
import { once, performClaimed } from '#shared/table/lease';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory, ulid } from 'ulid';
import { dynamo } from '#shared/aws/clients';
import { publishAlert } from '#shared/app/alerts';
import { count } from '#shared/aws/metrics';
import { sendMessages } from '#shared/aws/queue';
import { batchGet, batchWriteAll, queryAll, queryPages } from '#shared/table/query';
import { requireEnv, tableName } from '#shared/aws/config';
import { campaignOf, findCampaign } from '#shared/app/campaigns';
import { findInvitation } from '#shared/app/invitations';
import { findResponse } from '#shared/app/responses';
import { readThemeSet } from '#shared/app/themes';
import { namedThemes, sameThemes } from '#shared/core/theme-set';
import {
  AssignmentRulesItem,
  CampaignItem,
  FOLLOWUP_EVENT_PREFIX,
  FollowupEvent,
  FollowupItem,
  gsi1,
  gsi2,
  gsi3,
  gsi3Sort,
  InvitationItem,
  keys,
  PERSONAL_ENTRY_TYPES,
  storedResponse,
  withoutKeys,
} from '#shared/table/items';
import { cancellationCodes, transactWrite, type TransactItem } from '#shared/table/transactions';
import { category } from '#shared/core/nps';
import { decodeCursor, encodeCursor } from '#shared/table/cursor';
import { assigneeFor } from '#shared/core/closed-loop';
import { LEGACY_RESOLVED, type CloseReason, type FollowupStatus } from '#shared/core/vocabulary';
import {
  TIMELINE_SHOWN,
  TimelineEntry,
  type AssignmentRules,
  type FollowupCase,
  type FollowupDetail,
  type FollowupPage,
  type FollowupPatch,
  type FollowupView,
  type Note,
  type ReplyBlock,
} from '#shared/contract/followups';
import { env, queues } from '#shared/contract/wiring';

/** How long a manager has to act on a detractor before the case is overdue. */
export const followupSlaHours = (): number => Number(process.env[env.followupSlaHours] ?? 48);

/** A case's alert goes out once (shared/table/lease.ts); an erasure that lands before the claim cancels it, as it would carry the comment. */
const ALERT = { doneAttr: 'alertedAt', claimAttr: 'alertingAt', leaseMs: 60_000, what: 'the alert', cancelledBy: 'erasedAt' } as const;

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

export const loadCase = async (id: string): Promise<FollowupItem | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.followup(id), ConsistentRead: true }));
  return out.Item ? FollowupItem.parse(withoutKeys(out.Item)) : undefined;
};

export const getCase = async (id: string): Promise<FollowupItem> => {
  const item = await loadCase(id);
  if (!item) throw notFound('Follow-up');
  return item;
};

// Timeline entries written in one millisecond still sort in the order they were made.
const nextEventId = monotonicFactory();

/** The write of one timeline entry, as its own item beside the case. */
export const entryWrite = (entry: FollowupEvent, now: Date, eventId: string = nextEventId(now.getTime())): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: { ...keys.followupEvent(entry.caseId, eventId), ...entry },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** The assignment rules for new cases (none until an admin sets them). */
export const readAssignmentRules = async (): Promise<AssignmentRules> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.assignmentRules() }));
  return out.Item ? AssignmentRulesItem.parse({ rules: out.Item.rules }) : { rules: [] };
};

export const saveAssignmentRules = async (rules: AssignmentRules, now = new Date()): Promise<AssignmentRules> => {
  await dynamo.send(new PutCommand({ TableName: tableName(), Item: { ...keys.assignmentRules(), ...rules, updatedAt: now.toISOString() } }));
  return rules;
};

/**
 * Marks the invitation's case guard erased, and gives the id of the case it holds, if any. With
 * no case yet, the mark is a tombstone that refuses the case a follow-up may still be opening
 * with the contact it read before the erasure.
 */
export const eraseCaseGuard = async (invitationId: string, at: string): Promise<string | undefined> => {
  const { Attributes: before } = await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.followupGuard(invitationId),
      UpdateExpression: 'SET erasedAt = :at',
      ExpressionAttributeValues: { ':at': at },
      ReturnValues: 'ALL_OLD',
    }),
  );
  const id: unknown = before?.followupId;
  return typeof id === 'string' ? id : undefined;
};

/**
 * Creates the case, its per-invitation guard and its first timeline entries (opened, and the
 * assignment a rule made) together, the case already claiming its alert (see ALERT); false
 * when the guard already exists: a case was opened, or the contact was erased (erasure leaves
 * the guard as a tombstone, since the contact read for the case may predate the erasure).
 */
const createCase = async (item: FollowupItem, now: Date): Promise<boolean> => {
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
            GSI3PK: gsi3.activeFollowups,
            GSI3SK: gsi3Sort(item),
            ...item,
            [ALERT.claimAttr]: now.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      entryWrite({ type: 'opened', caseId: item.id, at: item.createdAt, score: item.score }, now),
      ...(item.assignee ? [entryWrite({ type: 'assignee', caseId: item.id, at: item.createdAt, assignee: item.assignee, by: 'rule' }, now)] : []),
    ]);
    return true;
  } catch (error) {
    if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
};

/**
 * Copies the response's score, comment and themes onto its case; false when the case has been
 * erased, which DynamoDB checks, since the response may have been read before the erasure. A
 * comment that is new to the case also becomes a `comment` entry of its timeline, in the same
 * write, so a redelivered message (which finds the comment already copied) never adds it twice.
 */
const copyAnswerToCase = async (
  caseId: string,
  response: { score: number; comment?: string | undefined; themes?: string[] | undefined },
  commentIsNew: boolean,
  now: Date,
): Promise<boolean> => {
  const comment = commentIsNew ? response.comment : undefined;
  const set = ['score = :score', 'themes = :themes'];
  if (comment) set.push('#comment = :comment');
  const update = `SET ${set.join(', ')}${!comment && !response.comment ? ' REMOVE #comment' : ''}`;
  const usesComment = Boolean(comment) || !response.comment;
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName(),
          Key: keys.followup(caseId),
          UpdateExpression: update,
          ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(erasedAt)${comment ? ' AND (attribute_not_exists(#comment) OR #comment <> :comment)' : ''}`,
          ...(usesComment ? { ExpressionAttributeNames: { '#comment': 'comment' } } : {}),
          ExpressionAttributeValues: { ':score': response.score, ':themes': response.themes ?? [], ...(comment ? { ':comment': comment } : {}) },
        },
      },
      ...(comment ? [entryWrite({ type: 'comment', caseId, at: now.toISOString(), text: comment }, now)] : []),
    ]);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || cancellationCodes(error)[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
};

/**
 * Brings the follow-up for one invitation up to date with its response. A response that is a
 * detractor opens exactly one case (a guard item per invitation makes creation idempotent),
 * assigned by the first matching assignment rule, and publishes one alert (recorded on the case
 * as alertedAt, so a redelivered message does not alert again). A later comment is copied onto
 * the existing case and its timeline. The case's themes follow the response's, whoever wrote them
 * (the customer's edit or a re-tag): each sync copies what the response holds now, so a replay or
 * a message that arrives late writes nothing new.
 */
export const syncFollowup = async (invitationId: string, now = new Date()): Promise<'opened' | 'updated' | 'none'> => {
  const response = await findResponse(invitationId);
  if (!response) return 'none';
  let caseId = await caseIdFor(invitationId);
  let outcome: 'opened' | 'updated' | 'none' = 'none';
  if (!caseId) {
    if (category(response.score) !== 'detractor') return 'none';
    const [invitation, campaign, { rules }] = await Promise.all([findInvitation(invitationId), campaignOf(response.campaignId), readAssignmentRules()]);
    const locale = invitation?.contact.locale ?? campaign?.locale;
    const assignee = assigneeFor(rules, response.segments);
    const item: FollowupItem = {
      id: ulid(now.getTime()),
      campaignId: response.campaignId,
      invitationId,
      ...(invitation ? { channel: invitation.channel } : {}),
      score: response.score,
      ...(response.comment ? { comment: response.comment } : {}),
      themes: response.themes ?? [],
      ...(locale ? { locale } : {}),
      status: 'open',
      ...(assignee ? { assignee } : {}),
      dueAt: new Date(now.getTime() + followupSlaHours() * 3_600_000).toISOString(),
      contact: {
        ...(invitation?.contact.name ? { name: invitation.contact.name } : {}),
        ...(invitation?.contact.email ? { email: invitation.contact.email } : {}),
        ...(invitation?.contact.phone ? { phone: invitation.contact.phone } : {}),
      },
      segments: response.segments,
      notes: [],
      noteCount: 0,
      createdAt: now.toISOString(),
    };
    if (await createCase(item, now)) {
      count('Detractors');
      // The case holds what the response does and was made claiming its alert: no read, no claim.
      await performClaimed({ key: keys.followup(item.id), ...ALERT }, () => publishAlert(item, campaign?.name ?? item.campaignId), now);
      return 'opened';
    }
    caseId = await caseIdFor(invitationId);
  }
  if (!caseId) return outcome;
  const current = await loadCase(caseId);
  if (!current) return outcome;
  if (current.comment !== response.comment || current.score !== response.score || !sameThemes(current.themes ?? [], response.themes ?? [])) {
    if (!(await copyAnswerToCase(caseId, response, Boolean(response.comment) && current.comment !== response.comment, now))) return outcome;
    outcome = 'updated';
  }
  if (!current.alertedAt) {
    const campaign = await campaignOf(current.campaignId);
    const latest = { ...current, score: response.score, ...(response.comment ? { comment: response.comment } : {}) };
    await once({ key: keys.followup(caseId), ...ALERT }, () => publishAlert(latest, campaign?.name ?? current.campaignId), now);
  }
  return outcome;
};

/** What the inbox reads: a view, and the filters API clients already used. */
export interface FollowupFilter {
  readonly view?: FollowupView | undefined;
  readonly status?: FollowupStatus | undefined;
  readonly campaignId?: string | undefined;
  /** A theme id: only cases whose comment mentions it. */
  readonly theme?: string | undefined;
  /** The caller's e-mail address, for view `mine`. */
  readonly me?: string | undefined;
}

/**
 * The inbox, soonest due first. `open`, `overdue` and `mine` read the sparse GSI3, which holds
 * only the cases not closed, by `<dueAt>#<id>` (overdue: due before now; mine: assigned to the
 * caller); `all` reads every case through GSI1 in id order, which is due order since a case is
 * due a fixed SLA after it opens. Status, campaign and theme narrow a page (a page may then be
 * short; its cursor goes on); a case opened before themes has none, so a theme skips it.
 */
export const listFollowups = async (filter: FollowupFilter, limit = 50, cursor?: string, now = new Date()): Promise<FollowupPage> => {
  const view = filter.view ?? 'all';
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, string> = {};
  if (filter.status) {
    names['#status'] = 'status';
    values[':status'] = filter.status;
    if (filter.status === 'closed') values[':legacy'] = LEGACY_RESOLVED;
    conditions.push(filter.status === 'closed' ? '#status IN (:status, :legacy)' : '#status = :status');
  }
  if (filter.campaignId) {
    conditions.push('campaignId = :campaignId');
    values[':campaignId'] = filter.campaignId;
  }
  if (filter.theme) {
    conditions.push('contains(themes, :theme)');
    values[':theme'] = filter.theme;
  }
  if (view === 'mine') {
    conditions.push('assignee = :me');
    values[':me'] = filter.me ?? '';
  }
  const active = view !== 'all';
  const partition = active
    ? ({ attribute: 'GSI3PK', value: gsi3.activeFollowups } as const)
    : ({ attribute: 'GSI1PK', value: gsi1.followups } as const);
  values[':pk'] = partition.value;
  if (view === 'overdue') values[':now'] = now.toISOString();
  const found: Record<string, unknown>[] = [];
  let start = decodeCursor(cursor, partition);
  // A filter applies after DynamoDB's Limit, so a filtered page is filled by reading on, up to a
  // budget of reads; the cursor then points just past the last case read, and the next page goes on.
  for (let reads = 0; reads < FILTERED_READS && found.length < limit; reads++) {
    const out = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: active ? 'GSI3' : 'GSI1',
        KeyConditionExpression: `${partition.attribute} = :pk${view === 'overdue' ? ' AND GSI3SK < :now' : ''}`,
        ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: true,
        Limit: limit - found.length,
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey as Record<string, string> | undefined;
    if (!start) break;
  }
  return {
    items: await Promise.all(found.map((item) => caseView(FollowupItem.parse(withoutKeys(item))))),
    nextCursor: encodeCursor(start),
  };
};

/** How many reads one filtered inbox page may take (each up to `limit` cases) before it answers with what it found. */
const FILTERED_READS = 20;

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
      if (event.type === 'note') newestFirst.push({ at: event.at, text: event.text, ...(event.by ? { by: event.by } : {}) });
    }
    if (newestFirst.length >= NOTES_SHOWN) break;
  }
  return newestFirst.slice(0, NOTES_SHOWN).reverse();
};

/**
 * A case as the API shows it: no alert or erasure bookkeeping, its latest notes and how many it
 * has, and its themes named in the customer's language by the theme set in force.
 */
export const caseView = async (item: FollowupItem, campaignName?: string): Promise<FollowupCase> => {
  const { alertedAt: _alertedAt, erasedAt: _erasedAt, contactedAt: _contactedAt, notes: earlier, noteCount, themes, locale, ...view } = item;
  const [latest, set] = await Promise.all([latestNotes(item.id), themes?.length ? readThemeSet() : undefined]);
  const notes = [...earlier, ...latest].slice(-NOTES_SHOWN);
  return {
    ...view,
    ...(campaignName ? { campaignName } : {}),
    ...(themes ? { themes: set ? namedThemes(themes, set.themes, locale ?? 'en') : [] } : {}),
    notes,
    noteCount: earlier.length + (noteCount ?? 0),
  };
};

/** What one action changes on a case item (its timeline entries are written beside it). */
export interface CaseChange {
  readonly status?: FollowupStatus | undefined;
  readonly closeReason?: CloseReason | undefined;
  /** null unassigns. */
  readonly assignee?: string | null | undefined;
  readonly note?: boolean;
  /** Someone replied to the customer. */
  readonly contacted?: boolean;
}

/**
 * The update of the case item for one person's action. The first action of all is kept as
 * firstActionAt (only once); closing records closedAt and takes the case out of the inbox's
 * index (GSI3) and the escalation watch (GSI2); any status past open leaves the watch too; a
 * case reopened comes back into the inbox. An erased case takes no more actions.
 */
export const caseUpdate = (item: FollowupItem, change: CaseChange, now: Date): TransactItem => {
  const set = ['updatedAt = :now', 'firstActionAt = if_not_exists(firstActionAt, :now)'];
  const remove: string[] = [];
  const add: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':now': now.toISOString() };
  if (change.status) {
    set.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = change.status;
    if (change.status === 'closed') {
      set.push('closedAt = :now', 'closeReason = :reason');
      values[':reason'] = change.closeReason ?? 'other';
      remove.push('GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK');
    } else {
      set.push('GSI3PK = :active', 'GSI3SK = :dueSort');
      values[':active'] = gsi3.activeFollowups;
      values[':dueSort'] = gsi3Sort(item);
      remove.push('closedAt', 'closeReason');
      if (change.status !== 'open') remove.push('GSI2PK', 'GSI2SK');
    }
  }
  if (change.contacted) set.push('contactedAt = if_not_exists(contactedAt, :now)');
  if (change.assignee === null) remove.push('assignee');
  else if (change.assignee !== undefined) {
    set.push('assignee = :assignee');
    values[':assignee'] = change.assignee;
  }
  if (change.note) {
    add.push('noteCount :one');
    values[':one'] = 1;
  }
  return {
    Update: {
      TableName: tableName(),
      Key: keys.followup(item.id),
      UpdateExpression: [`SET ${set.join(', ')}`, remove.length ? `REMOVE ${remove.join(', ')}` : '', add.length ? `ADD ${add.join(', ')}` : '']
        .filter(Boolean)
        .join(' '),
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(erasedAt)',
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  };
};

/** The timeline entries a manager's change makes: one for each thing changed, each naming who did it. */
export const timelineEntries = (caseId: string, patch: FollowupPatch, at: string, by: string): FollowupEvent[] => [
  ...(patch.status ? [{ type: 'status' as const, caseId, at, by, status: patch.status, ...(patch.closeReason ? { closeReason: patch.closeReason } : {}) }] : []),
  ...(patch.assignee !== undefined ? [{ type: 'assignee' as const, caseId, at, by, assignee: patch.assignee }] : []),
  ...(patch.note ? [{ type: 'note' as const, caseId, at, by, text: patch.note }] : []),
];

/** Runs the writes of one action on a case: a changed or erased case is a clear 404 or 409, never a 500. */
export const writeCaseAction = async (writes: TransactItem[]): Promise<void> => {
  try {
    await transactWrite(writes);
  } catch (error) {
    const [onCase] = cancellationCodes(error);
    if (onCase === 'ConditionalCheckFailed') throw new DomainError('conflict', 'This case was erased (the customer asked to be forgotten); it can no longer be changed');
    if (onCase === 'TransactionConflict') throw new DomainError('conflict', 'the case was changed at the same moment; try again');
    throw error;
  }
};

/**
 * A manager works a case: moves its status (closing needs a reason), assigns it, or adds a
 * note. The case item takes only the current status and assignee; each change is also a
 * timeline entry of its own, written in the same transaction, so no number of notes can grow
 * the case past DynamoDB's 400 KB.
 */
export const updateFollowup = async (id: string, patch: FollowupPatch, by: string, now = new Date()): Promise<FollowupCase> => {
  const current = await getCase(id);
  const entries = timelineEntries(id, patch, now.toISOString(), by);
  await writeCaseAction([
    caseUpdate(current, { status: patch.status, closeReason: patch.closeReason, assignee: patch.assignee, note: patch.note !== undefined }, now),
    ...entries.map((entry) => entryWrite(entry, now)),
  ]);
  return caseView(await getCase(id));
};

/** The latest TIMELINE_SHOWN entries of a case, newest first. */
export const readTimeline = async (caseId: string): Promise<TimelineEntry[]> => {
  const out = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
      ExpressionAttributeValues: { ':pk': keys.followup(caseId).PK, ':events': FOLLOWUP_EVENT_PREFIX },
      ScanIndexForward: false,
      Limit: TIMELINE_SHOWN,
    }),
  );
  return (out.Items ?? []).map((stored) => TimelineEntry.parse(FollowupEvent.parse(withoutKeys(stored))));
};

/** The address a reply on this channel goes to, as the case copied it. */
export const replyAddress = (item: FollowupItem, channel: 'email' | 'sms'): string | undefined =>
  channel === 'email' ? item.contact.email : item.contact.phone;

/**
 * Why the customer may not be messaged now, if anything: erased (the case or its invitation),
 * opted out (on the channel's address), suppressed (an e-mail address that bounced or
 * complained) or no address on the channel.
 */
export const replyBlockOf = async (item: FollowupItem, invitation: InvitationItem | undefined): Promise<ReplyBlock | undefined> => {
  if (item.erasedAt || !invitation || invitation.erasedAt) return 'erased';
  if (!replyAddress(item, invitation.channel)) return 'no_address';
  if (!invitation.contactKey) return undefined;
  const found = await batchGet([keys.optOut(invitation.contactKey), keys.suppression(invitation.contactKey)], 'PK, SK');
  const names = [...found.keys()];
  if (names.some((k) => k.startsWith('OPTOUT#'))) return 'opted_out';
  if (invitation.channel === 'email' && names.some((k) => k.startsWith('SUPPRESS#'))) return 'suppressed';
  return undefined;
};

export const EARLIER_ANSWERS_SHOWN = 10;

/**
 * The contact's other answers, newest first: their invitations through the contact index
 * (GSI1 `CONTACT#<key>#INV`, one query), then those invitations' responses and campaigns in
 * batch reads. Nothing is scanned.
 */
const earlierAnswersOf = async (invitation: InvitationItem | undefined): Promise<FollowupDetail['earlierAnswers']> => {
  if (!invitation?.contactKey) return [];
  const others = (
    await queryAll({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.contactInvitations(invitation.contactKey) },
      ProjectionExpression: 'id',
    })
  )
    .map((item) => String(item.id))
    .filter((id) => id !== invitation.id);
  if (others.length === 0) return [];
  const responses = [...(await batchGet(others.map((id) => keys.response(id)))).values()]
    .flatMap((item) => storedResponse(item) ?? [])
    .sort((a, b) => b.answeredAt.localeCompare(a.answeredAt))
    .slice(0, EARLIER_ANSWERS_SHOWN);
  const campaigns = await batchGet([...new Set(responses.map((r) => r.campaignId))].map((id) => keys.campaign(id)));
  const nameOf = (id: string) => {
    const stored = campaigns.get(`${keys.campaign(id).PK}|${keys.campaign(id).SK}`);
    return stored ? CampaignItem.parse(withoutKeys(stored)).name : undefined;
  };
  return responses.map((r) => {
    const campaignName = nameOf(r.campaignId);
    return {
      campaignId: r.campaignId,
      ...(campaignName ? { campaignName } : {}),
      score: r.score,
      ...(r.comment ? { comment: r.comment } : {}),
      answeredAt: r.answeredAt,
    };
  });
};

/** A case with its campaign's name, its timeline (newest first), the customer's other answers and whether a reply can go out. */
export const followupDetail = async (id: string): Promise<FollowupDetail> => {
  const item = await getCase(id);
  const [campaign, invitation, timeline] = await Promise.all([findCampaign(item.campaignId), findInvitation(item.invitationId), readTimeline(id)]);
  const channel = item.channel ?? invitation?.channel;
  const [view, earlierAnswers, blockedBy] = await Promise.all([caseView(item, campaign?.name), earlierAnswersOf(invitation), replyBlockOf(item, invitation)]);
  return {
    ...view,
    ...(channel ? { channel } : {}),
    timeline,
    earlierAnswers,
    reply: { ...(channel ? { channel } : {}), allowed: blockedBy === undefined, ...(blockedBy ? { blockedBy } : {}) },
  };
};

/**
 * Deletes the entries of a case's timeline that quote or reach the customer (notes, replies,
 * later comments) when the contact is erased; the other entries hold no personal data.
 */
export const deletePersonalEntries = async (caseId: string): Promise<void> => {
  const personal = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
    FilterExpression: '#type IN (:note, :reply, :comment)',
    ProjectionExpression: 'PK, SK',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: {
      ':pk': keys.followup(caseId).PK,
      ':events': FOLLOWUP_EVENT_PREFIX,
      ...Object.fromEntries(PERSONAL_ENTRY_TYPES.map((type) => [`:${type}`, type])),
    },
  });
  await batchWriteAll(
    tableName(),
    personal.map((entry) => ({ DeleteRequest: { Key: { PK: entry.PK, SK: entry.SK } } })),
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
        // After the alert, so an entry never claims an escalation that did not go out.
        const { Put: entry } = entryWrite({ type: 'escalated', caseId: item.id, at: now.toISOString() }, now);
        if (entry) await dynamo.send(new PutCommand(entry));
        escalated += 1;
        count('OverdueCasesEscalated');
      }
    }
  }
  return escalated;
};
