import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countIn } from '#shared/table/counters';
import { updateIfStill } from '#shared/table/conditional';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { chunk } from '#shared/core/chunk';
import { batchGet } from '#shared/table/query';
import { gsi1, InvitationItem, keys, SKIPPED_PREFIX, withoutKeys, type CampaignItem } from '#shared/table/items';
import { firstSendTime } from '#shared/core/send-times';
import { campaignInvitationId } from '#shared/core/tokens';
import { screenRecipients, type Candidate, type Skip, type SkipReason } from '#shared/core/recipients';
import type { AddRecipientsResult, RecipientInput } from '#shared/contract/recipients';
import { mustHold, runClock, type DueMessage } from '#shared/app/holding';
import { handOff, outboxEntry, writeOutbox } from '#shared/app/outbox';
import { invitationSaltOf } from '#shared/app/campaigns';
import { blocksStamped } from '#shared/app/contact-blocks-migration';

type Key = { PK: string; SK: string };

const id = (key: Key) => `${key.PK}|${key.SK}`;
const DAY_MS = 86_400_000;

/**
 * The stored checks, in the order of precedence: already in this campaign (duplicate), opted
 * out, suppressed (a bounce or complaint), then surveyed on any channel within the campaign's
 * throttleDays. The first that applies names the skip. Opt-out and suppression are stamped on
 * the contact item, which holds the throttle too; until older ones are stamped
 * (shared/app/contact-blocks-migration.ts) the lists' own items are read as well.
 */
const storedSkip = (
  campaign: CampaignItem,
  candidate: Candidate,
  found: Map<string, Record<string, unknown>>,
  now: Date,
  invitationIdOf: (candidate: Candidate) => string,
): SkipReason | undefined => {
  if (found.has(id(keys.invitation(invitationIdOf(candidate))))) return 'duplicate';
  if (found.has(id(keys.campaignRecipient(campaign.id, candidate.contactKey)))) return 'duplicate';
  const contact = found.get(id(keys.contact(candidate.contactKey)));
  if (contact?.optedOutAt || found.has(id(keys.optOut(candidate.contactKey)))) return 'opted_out';
  if (contact?.suppressedAt || found.has(id(keys.suppression(candidate.contactKey)))) return 'suppressed';
  // A stamp this very invitation made (an import that stopped before writing it) is not a throttle.
  if (contact?.lastInvitationId === invitationIdOf(candidate)) return undefined;
  return throttledBy(campaign, contact, now) ? 'throttled' : undefined;
};

const throttledBy = (campaign: CampaignItem, contact: Record<string, unknown> | undefined, now: Date) => {
  const last = contact?.lastSurveyedAt;
  return campaign.throttleDays > 0 && typeof last === 'string' && Date.parse(last) > now.getTime() - campaign.throttleDays * DAY_MS;
};

/** Why the contact's condition refused an invitation, from the contact as it was then. */
const contactRefusal = (stored: Record<string, unknown> | undefined): SkipReason => {
  if (stored?.optedOutAt) return 'opted_out';
  if (stored?.suppressedAt) return 'suppressed';
  return 'throttled';
};

/** Single-item writes in flight per request: DynamoDB Local and DynamoDB both take them side by side. */
const WRITES_IN_FLIGHT = 32;
/** Invitation ids per outbox entry: about 3 KB, so its put and delete cost 0.04 write units per invitation. */
const IDS_PER_OUTBOX_ENTRY = 100;

/**
 * The contact's admission, as one write on the contact: not opted out, not suppressed, and (the
 * throttle) surveyed at most once per the campaign's throttleDays, on any channel. It stamps
 * lastSurveyedAt and the invitation it was for, and the throttle passes when the contact was never
 * surveyed, was surveyed before the cutoff, or was stamped by this very invitation (the same
 * import tried again after it stopped between this write and the invitation's). Resolves with the
 * skip reason when the condition fails, read from the contact as it was. Its condition is built
 * here and nowhere else.
 */
const stampContact = async (campaign: CampaignItem, contactKey: string, invitationId: string, now: Date): Promise<SkipReason | undefined> => {
  const throttled = campaign.throttleDays > 0;
  const cutoff = new Date(now.getTime() - campaign.throttleDays * DAY_MS).toISOString();
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.contact(contactKey),
        // The newest invitation too: an opt-out right after this write marks it even before the
        // contact index shows it (shared/app/contact-blocks.ts).
        UpdateExpression: 'SET lastSurveyedAt = :now, lastInvitationId = :id',
        // Not opted out, not suppressed (an opt-out that lands between the read and this write is
        // still honoured), and not surveyed within throttleDays unless by this very invitation.
        ConditionExpression: `attribute_not_exists(optedOutAt) AND attribute_not_exists(suppressedAt)${
          throttled ? ' AND (attribute_not_exists(lastSurveyedAt) OR lastSurveyedAt < :cutoff OR lastInvitationId = :id)' : ''
        }`,
        ExpressionAttributeValues: { ':now': now.toISOString(), ':id': invitationId, ...(throttled ? { ':cutoff': cutoff } : {}) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return contactRefusal(error.Item ? unmarshall(error.Item) : undefined);
  }
};

/** The invitation, keyed by its address's one id in the campaign: it must not exist, so it is the once-per-campaign guard. */
const putInvitation = (invitation: InvitationItem, contactKey: string): Promise<boolean> =>
  updateIfStill(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.invitation(invitation.id), GSI1PK: gsi1.contactInvitations(contactKey), GSI1SK: invitation.id, ...invitation },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );

/**
 * Writes invitations so that each is exactly once per address per campaign and the throttle
 * holds under races, with single-item writes (1 write unit each, against 2 for an item in a
 * transaction), many in flight:
 * 1. The outbox entries first, listing every id about to be written, so each accepted invitation
 *    is handed off to the queue even if the request stops after writing it; an id that never gets
 *    written is simply not found by the sweep (shared/app/outbox.ts).
 * 2. Per recipient, the contact's throttle stamp (stampContact), then the invitation (must not
 *    exist). A request that stops between the two leaves a stamp that only this same invitation
 *    passes, so the import tried again accepts the recipient once; another campaign is throttled
 *    by it, as it would be by the invitation.
 * The invitation is indexed by its contact (GSI1), so erasure finds every one. It carries
 * `countsFromStream`: the campaign's recipients and scheduled counts are moved by the table's
 * stream when it is inserted (shared/app/score-stream.ts), so the import writes no counter.
 */
const writeInvitations = async (
  campaign: CampaignItem,
  candidates: readonly Candidate[],
  now: Date,
  dueOf: (candidate: Candidate) => string,
  invitationIdOf: (candidate: Candidate) => string,
) => {
  const invitations = candidates.map(
    (c): InvitationItem => ({
      id: invitationIdOf(c),
      campaignId: campaign.id,
      channel: campaign.channel,
      contact: c.contact,
      contactKey: c.contactKey,
      segments: c.segments,
      status: mustHold(dueOf(c), now) ? 'scheduled' : 'queued',
      dueAt: dueOf(c),
      createdAt: now.toISOString(),
      countsFromStream: true,
    }),
  );
  const outbox = chunk(invitations, IDS_PER_OUTBOX_ENTRY).map((part) => outboxEntry(part.map((i) => i.id), now));
  await writeOutbox(outbox);

  const accepted: InvitationItem[] = [];
  const lost: { candidate: Candidate; reason: SkipReason }[] = [];
  const write = async (candidate: Candidate, invitation: InvitationItem) => {
    const refused = await stampContact(campaign, candidate.contactKey, invitation.id, now);
    if (refused) lost.push({ candidate, reason: refused });
    else if (await putInvitation(invitation, candidate.contactKey)) accepted.push(invitation);
    else lost.push({ candidate, reason: 'duplicate' });
  };
  // After a failure no lane starts another recipient, and the error waits for those in flight:
  // nothing of this request is still writing once it has answered.
  let next = 0;
  let failed = false;
  const lane = async () => {
    for (let i = next++; i < candidates.length && !failed; i = next++) {
      await write(candidates[i] as Candidate, invitations[i] as InvitationItem).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(WRITES_IN_FLIGHT, candidates.length) }, lane));
  for (const outcome of lanes) if (outcome.status === 'rejected') throw outcome.reason;
  return { accepted, outbox, lost };
};

const countSkips = async (campaignId: string, skipped: readonly Skip[]) => {
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  if (byReason.size === 0) return;
  // One item, so a plain update: 1 write unit where a transaction of it took 2.
  await dynamo.send(new UpdateCommand(countIn(campaignId, Object.fromEntries([...byReason].map(([reason, n]) => [`${SKIPPED_PREFIX}${reason}`, n]))).Update));
};

// Whether a campaign has guards, once per container: campaigns imported into only since they
// went away never get one, and the few older ones keep theirs.
const guardedCampaigns = new Map<string, boolean>();

/**
 * Whether recipients were imported into this campaign before invitations were their own
 * once-per-campaign guards (before that, a `RCPT#<contact key>` item guarded each address, and
 * the invitation had a random id): then the old guards are read too, so an address imported
 * then is still a duplicate now. One Query of one key, once per campaign and container.
 */
const hasRecipientGuards = async (campaignId: string): Promise<boolean> => {
  const known = guardedCampaigns.get(campaignId);
  if (known !== undefined) return known;
  const guard = keys.campaignRecipient(campaignId, '');
  const out = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :guard)',
      ExpressionAttributeValues: { ':pk': guard.PK, ':guard': guard.SK },
      ProjectionExpression: 'PK',
      Limit: 1,
    }),
  );
  const guarded = (out.Items ?? []).length > 0;
  guardedCampaigns.set(campaignId, guarded);
  return guarded;
};

/**
 * Adds recipients to a campaign: screens them, skips with the first reason that applies,
 * writes one invitation each, and queues them for sending at the campaign's sendAt (held when
 * that is further ahead than a queue can delay). Every skip is reported and counted. An accepted
 * invitation always reaches the queue: if queueing it fails, release-due queues it from the outbox.
 */
export const addRecipients = async (
  campaign: CampaignItem,
  recipients: readonly RecipientInput[],
  now = new Date(),
): Promise<AddRecipientsResult> => {
  const clock = runClock(now);
  const { candidates, skipped } = screenRecipients(campaign, recipients);
  const [legacy, salt, stamped] = await Promise.all([hasRecipientGuards(campaign.id), invitationSaltOf(campaign.id), blocksStamped()]);
  const invitationIdOf = (c: Candidate) => campaignInvitationId(campaign.id, c.contactKey, salt);
  const found = await batchGet(
    candidates.flatMap((c) => [
      keys.invitation(invitationIdOf(c)),
      ...(legacy ? [keys.campaignRecipient(campaign.id, c.contactKey)] : []),
      keys.contact(c.contactKey),
      ...(stamped ? [] : [keys.optOut(c.contactKey), keys.suppression(c.contactKey)]),
    ]),
  );
  const allowed: Candidate[] = [];
  const dueAt = new Map<Candidate, string>();
  for (const candidate of candidates) {
    const reason = storedSkip(campaign, candidate, found, now, invitationIdOf);
    const due = reason ? undefined : firstSendTime(campaign, candidate.contact, now);
    if (reason) skipped.push({ index: candidate.index, reason });
    else if (!due) skipped.push({ index: candidate.index, reason: 'no_send_window' });
    else {
      allowed.push(candidate);
      dueAt.set(candidate, due.toISOString());
    }
  }
  const dueOf = (c: Candidate) => dueAt.get(c) ?? now.toISOString();
  const { accepted, outbox, lost } = await writeInvitations(campaign, allowed, now, dueOf, invitationIdOf);
  await handOff(
    accepted.map((i): DueMessage => ({ invitationId: i.id, kind: 'send', dueAt: i.dueAt ?? now.toISOString() })),
    outbox,
    clock(), // the queue's delays count from the hand-off, so sendAt holds however long this request ran
  );
  skipped.push(...lost.map(({ candidate, reason }) => ({ index: candidate.index, reason })));
  await countSkips(campaign.id, skipped);
  return { accepted: accepted.length, skipped: skipped.sort((a, b) => a.index - b.index) };
};

export const findInvitation = async (invitationId: string): Promise<InvitationItem | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.invitation(invitationId) }));
  return out.Item ? InvitationItem.parse(withoutKeys(out.Item)) : undefined;
};
