import { TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { transactWrite } from '#shared/table/transactions';
import { countIn } from '#shared/table/counters';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { chunk } from '#shared/core/chunk';
import { batchGet } from '#shared/table/query';
import { COUNT_SHARDS, gsi1, InvitationItem, keys, SKIPPED_PREFIX, withoutKeys, type CampaignItem } from '#shared/table/items';
import { firstSendTime } from '#shared/core/send-times';
import { campaignInvitationId } from '#shared/core/tokens';
import { screenRecipients, type Candidate, type Skip, type SkipReason } from '#shared/core/recipients';
import type { AddRecipientsResult, RecipientInput } from '#shared/contract/recipients';
import { mustHold, runClock, type DueMessage } from '#shared/app/holding';
import { handOff, outboxEntry, outboxPut, type OutboxEntry } from '#shared/app/outbox';
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
  return throttledBy(campaign, contact, now) ? 'throttled' : undefined;
};

const throttledBy = (campaign: CampaignItem, contact: Record<string, unknown> | undefined, now: Date) => {
  const last = contact?.lastSurveyedAt;
  return campaign.throttleDays > 0 && typeof last === 'string' && Date.parse(last) > now.getTime() - campaign.throttleDays * DAY_MS;
};

/**
 * The condition on the contact item that the invitation is written with: not opted out, not
 * suppressed, and (when the campaign throttles) not surveyed within throttleDays, so an opt-out or
 * another campaign's invitation that lands between the read and the write is still honoured.
 * The contact is returned as it was when the condition failed, so the skip names what stopped it.
 */
const contactAdmission = (campaign: CampaignItem, now: Date) => {
  const throttled = campaign.throttleDays > 0;
  const cutoff = new Date(now.getTime() - campaign.throttleDays * DAY_MS).toISOString();
  return {
    ConditionExpression: `attribute_not_exists(optedOutAt) AND attribute_not_exists(suppressedAt)${
      throttled ? ' AND (attribute_not_exists(lastSurveyedAt) OR lastSurveyedAt < :cutoff)' : ''
    }`,
    ExpressionAttributeValues: throttled ? { ':cutoff': cutoff } : {},
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
};

/** Why the contact's condition refused an invitation, from the contact as it was then. */
const contactRefusal = (stored: Record<string, AttributeValue> | undefined): SkipReason => {
  if (stored?.optedOutAt) return 'opted_out';
  if (stored?.suppressedAt) return 'suppressed';
  return 'throttled';
};

// 49 recipients × (invitation, contact) + the counter + the outbox entry = 100, a transaction's limit.
const RECIPIENTS_PER_TRANSACTION = 49;
const ITEMS_PER_RECIPIENT = 2;
const WRITE_LANES = COUNT_SHARDS;

/**
 * The two writes that make one invitation: the invitation, whose key is its address's one id in
 * the campaign (so it must not exist: it is the once-per-campaign guard), and the contact's throttle.
 */
const invitationWrites = (campaign: CampaignItem, candidate: Candidate, invitation: InvitationItem, now: Date) => {
  const admission = contactAdmission(campaign, now);
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.invitation(invitation.id),
          GSI1PK: gsi1.contactInvitations(candidate.contactKey),
          GSI1SK: invitation.id,
          ...invitation,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.contact(candidate.contactKey),
        // The newest invitation too: an opt-out right after this write marks it even before the contact index shows it.
        UpdateExpression: 'SET lastSurveyedAt = :now, lastInvitationId = :invitationId',
        ...admission,
        ExpressionAttributeValues: { ':now': now.toISOString(), ':invitationId': invitation.id, ...admission.ExpressionAttributeValues },
      },
    },
  ];
};

/**
 * Writes invitations so that each is exactly once per address per campaign and the throttle
 * holds under races: each invitation, keyed by its address's one id in the campaign (must not
 * exist), goes in one transaction with the contact's lastSurveyedAt (must be older than the throttle), the
 * campaign counters, and the outbox entry that guarantees its hand-off to the queue. The
 * invitation is indexed by its contact (GSI1), so erasure finds every one. A failed condition
 * names that recipient a duplicate or throttled; the rest are written again. A few transactions
 * run side by side, each lane counting into its own counter shard.
 */
const writeInvitations = async (
  campaign: CampaignItem,
  candidates: readonly Candidate[],
  now: Date,
  dueOf: (candidate: Candidate) => string,
  invitationIdOf: (candidate: Candidate) => string,
) => {
  const held = (c: Candidate) => mustHold(dueOf(c), now);
  const accepted: InvitationItem[] = [];
  const outbox: OutboxEntry[] = [];
  const lost: { candidate: Candidate; reason: SkipReason }[] = [];
  const writeChunk = async (part: readonly Candidate[], shard: number) => {
    let pending = part;
    // Not a retry with backoff: each round drops the recipients whose condition failed (at least
    // one, else it throws), so it ends within the chunk; a conflict is transactWrite's to wait out.
    while (pending.length > 0) {
      const invitations: InvitationItem[] = pending.map((c) => ({
        id: invitationIdOf(c),
        campaignId: campaign.id,
        channel: campaign.channel,
        contact: c.contact,
        contactKey: c.contactKey,
        segments: c.segments,
        status: held(c) ? 'scheduled' : 'queued',
        dueAt: dueOf(c),
        createdAt: now.toISOString(),
      }));
      const counters = countIn(campaign.id, { recipients: pending.length, scheduled: pending.filter(held).length }, shard);
      const entry = outboxEntry(invitations.map((i) => i.id), now);
      try {
        await transactWrite([
          ...pending.flatMap((candidate, i) => invitationWrites(campaign, candidate, invitations[i] as InvitationItem, now)),
          counters,
          outboxPut(entry),
        ]);
        accepted.push(...invitations);
        outbox.push(entry);
        pending = [];
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = (i: number, offset: number) => reasons[i * ITEMS_PER_RECIPIENT + offset]?.Code === 'ConditionalCheckFailed';
        const losers = pending.flatMap((candidate, i): { candidate: Candidate; reason: SkipReason }[] => {
          if (failed(i, 0)) return [{ candidate, reason: 'duplicate' }];
          if (failed(i, 1)) return [{ candidate, reason: contactRefusal(reasons[i * ITEMS_PER_RECIPIENT + 1]?.Item) }];
          return [];
        });
        if (losers.length === 0) throw error;
        lost.push(...losers);
        pending = pending.filter((c) => !losers.some((l) => l.candidate === c));
      }
    }
  };
  const chunks = chunk(candidates, RECIPIENTS_PER_TRANSACTION);
  const lane = async (shard: number) => {
    for (let next = chunks.shift(); next; next = chunks.shift()) await writeChunk(next, shard);
  };
  await Promise.all(Array.from({ length: WRITE_LANES }, (_, shard) => lane(shard)));
  return { accepted, outbox, lost };
};

const countSkips = async (campaignId: string, skipped: readonly Skip[]) => {
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  if (byReason.size === 0) return;
  await transactWrite([countIn(campaignId, Object.fromEntries([...byReason].map(([reason, n]) => [`${SKIPPED_PREFIX}${reason}`, n])))]);
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
