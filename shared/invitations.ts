import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { dynamo, sqs } from '#shared/clients';
import { requireEnv, tableName } from '#shared/config';
import { gsi1, InvitationItem, keys, SKIPPED_PREFIX, withoutKeys, type CampaignItem } from '#shared/items';
import { newInvitationId } from '#shared/tokens';
import { screenRecipients, type Candidate, type Skip } from '#shared/recipients';
import type { RecipientInput } from '#shared/schemas';
import { queues } from '#shared/wiring';

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Which of these contacts have opted out (stored under their hashed address). */
const optedOut = async (contactKeys: readonly string[]): Promise<Set<string>> => {
  const found = new Set<string>();
  for (const part of chunk(contactKeys, 100)) {
    let request: Record<string, unknown>[] | undefined = part.map((k) => keys.optOut(k));
    while (request && request.length > 0) {
      const out: BatchGetCommandOutput = await dynamo.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: request, ProjectionExpression: 'PK' } } }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) found.add(String(item.PK).slice('OPTOUT#'.length));
      request = out.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return found;
};

// 49 recipients × (guard + invitation) + the counter item = 99 of a transaction's 100 items.
const RECIPIENTS_PER_TRANSACTION = 49;

const invitationFor = (campaign: CampaignItem, candidate: Candidate, now: string): InvitationItem => ({
  id: newInvitationId(),
  campaignId: campaign.id,
  channel: campaign.channel,
  contact: candidate.contact,
  segments: candidate.segments,
  status: 'queued',
  createdAt: now,
});

/**
 * Writes invitations so that an address gets at most one per campaign: each invitation goes in
 * a transaction with a guard item keyed by the hashed address, and the campaign's counters move
 * in the same transaction. A guard that already exists names that recipient a duplicate.
 */
const writeInvitations = async (campaign: CampaignItem, candidates: readonly Candidate[], now: string) => {
  const accepted: InvitationItem[] = [];
  const duplicates: Candidate[] = [];
  for (const part of chunk(candidates, RECIPIENTS_PER_TRANSACTION)) {
    let pending = part;
    while (pending.length > 0) {
      const invitations = pending.map((c) => invitationFor(campaign, c, now));
      try {
        await dynamo.send(
          new TransactWriteCommand({
            TransactItems: [
              ...pending.flatMap((candidate, i) => [
                {
                  Put: {
                    TableName: tableName(),
                    Item: { ...keys.campaignRecipient(campaign.id, candidate.contactKey), invitationId: invitations[i]?.id },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                {
                  Put: {
                    TableName: tableName(),
                    Item: {
                      ...keys.invitation(invitations[i]?.id ?? ''),
                      GSI1PK: gsi1.campaignInvitations(campaign.id),
                      GSI1SK: invitations[i]?.id,
                      ...invitations[i],
                    },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
              ]),
              {
                Update: {
                  TableName: tableName(),
                  Key: keys.campaignCounts(campaign.id),
                  UpdateExpression: 'ADD recipients :n',
                  ExpressionAttributeValues: { ':n': pending.length },
                },
              },
            ],
          }),
        );
        accepted.push(...invitations);
        pending = [];
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const taken = new Set(
          pending.filter((_, i) => reasons[i * 2]?.Code === 'ConditionalCheckFailed').map((c) => c.contactKey),
        );
        if (taken.size === 0) throw error;
        duplicates.push(...pending.filter((c) => taken.has(c.contactKey)));
        pending = pending.filter((c) => !taken.has(c.contactKey));
      }
    }
  }
  return { accepted, duplicates };
};

const countSkips = async (campaignId: string, skipped: readonly Skip[]) => {
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  if (byReason.size === 0) return;
  const reasons = [...byReason.keys()];
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.campaignCounts(campaignId),
      UpdateExpression: `ADD ${reasons.map((_, i) => `#r${i} :n${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(reasons.map((r, i) => [`#r${i}`, `${SKIPPED_PREFIX}${r}`])),
      ExpressionAttributeValues: Object.fromEntries(reasons.map((r, i) => [`:n${i}`, byReason.get(r)])),
    }),
  );
};

/** Queues each invitation for the sender; the sender is idempotent per invitation. */
export const enqueueInvitations = async (invitationIds: readonly string[]): Promise<void> => {
  const queueUrl = requireEnv(queues.invitations.urlEnv);
  await Promise.all(
    chunk(invitationIds, 10).map(async (ids) => {
      let entries = ids.map((id) => ({ Id: id.replace(/[^A-Za-z0-9_-]/g, '_'), MessageBody: JSON.stringify({ invitationId: id }) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0 && attempt >= 3) throw new Error(`could not queue ${entries.length} invitations`);
      }
    }),
  );
};

/**
 * Adds recipients to a campaign: screens them, skips opted-out and already-invited contacts,
 * writes one invitation each and queues them for sending. Every skip is reported and counted.
 */
export const addRecipients = async (campaign: CampaignItem, recipients: readonly RecipientInput[], now = new Date()) => {
  const { candidates, skipped } = screenRecipients(campaign, recipients);
  const optOuts = await optedOut(candidates.map((c) => c.contactKey));
  const allowed = candidates.filter((c) => !optOuts.has(c.contactKey));
  skipped.push(...candidates.filter((c) => optOuts.has(c.contactKey)).map((c) => ({ index: c.index, reason: 'opted_out' as const })));
  const { accepted, duplicates } = await writeInvitations(campaign, allowed, now.toISOString());
  skipped.push(...duplicates.map((c) => ({ index: c.index, reason: 'duplicate' as const })));
  await countSkips(campaign.id, skipped);
  await enqueueInvitations(accepted.map((i) => i.id));
  return { accepted: accepted.length, skipped: skipped.sort((a, b) => a.index - b.index) };
};

export const findInvitation = async (id: string): Promise<InvitationItem | undefined> => {
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.invitation(id) }));
  return out.Item ? InvitationItem.parse(withoutKeys(out.Item)) : undefined;
};
