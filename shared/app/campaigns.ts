import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { notFound } from '#shared/core/errors';
import { CampaignItem, COUNTS_PREFIX, CountsItem, gsi1, isRecordId, keys, SKIPPED_PREFIX, withoutKeys } from '#shared/table/items';
import type { CampaignCounts, CampaignInput, CampaignPage, CampaignView, CampaignWithCounts, SmsPreview } from '#shared/contract/campaigns';
import { readTotal } from '#shared/app/aggregates';
import { campaignScope } from '#shared/core/aggregates';
import { decodeCursor, encodeCursor } from '#shared/table/cursor';
import { invitationSms, segmentsOf } from '#shared/render/sms-text';
import { newInvitationSalt } from '#shared/core/tokens';

/** A campaign and its counter item are created together, so counts always exist to ADD to. */
export const createCampaign = async (input: CampaignInput, now = new Date()): Promise<CampaignItem> => {
  const campaign: CampaignItem = { id: ulid(now.getTime()), ...input, createdAt: now.toISOString() };
  await dynamo.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            // The invitation salt stays on the stored item only: a CampaignItem read drops it.
            Item: { ...keys.campaign(campaign.id), GSI1PK: gsi1.campaigns, GSI1SK: campaign.id, ...campaign, invitationSalt: newInvitationSalt() },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.campaignCounts(campaign.id, 0), recipients: 0, scheduled: 0, sent: 0, failed: 0, clicked: 0 },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
    }),
  );
  return campaign;
};

const salts = new Map<string, string | null>();

/**
 * The campaign's invitation salt (shared/core/tokens.ts campaignInvitationId), once per campaign
 * and container: campaigns never change. Read strongly, so an import right after the campaign was
 * made sees it; undefined for a campaign made before salts.
 */
export const invitationSaltOf = async (campaignId: string): Promise<string | undefined> => {
  if (!salts.has(campaignId)) {
    const out = await dynamo.send(
      new GetCommand({ TableName: tableName(), Key: keys.campaign(campaignId), ProjectionExpression: 'invitationSalt', ConsistentRead: true }),
    );
    if (!out.Item) throw notFound('Campaign');
    salts.set(campaignId, typeof out.Item.invitationSalt === 'string' ? out.Item.invitationSalt : null);
  }
  return salts.get(campaignId) ?? undefined;
};

/** A campaign by id; an id that is not a campaign id is simply not found (it never reaches DynamoDB). */
export const findCampaign = async (id: string): Promise<CampaignItem | undefined> => {
  if (!isRecordId(id)) return undefined;
  const out = await dynamo.send(new GetCommand({ TableName: tableName(), Key: keys.campaign(id) }));
  return out.Item ? CampaignItem.parse(withoutKeys(out.Item)) : undefined;
};

// Campaigns never change once created, so each container reads one at most once; readers that
// start together share the one read.
const known = new Map<string, Promise<CampaignItem | undefined>>();

/** A campaign by id, read at most once per container (campaigns are immutable). */
export const campaignOf = (id: string): Promise<CampaignItem | undefined> => {
  const cached = known.get(id);
  if (cached) return cached;
  const reading = findCampaign(id).then((found) => {
    // Not found (or a failed read) is not kept: the next caller asks again.
    if (!found) known.delete(id);
    return found;
  });
  reading.catch(() => known.delete(id));
  known.set(id, reading);
  return reading;
};

/** For tests that store different campaigns under one id: the next read goes to the table. */
export const forgetCampaigns = (): void => known.clear();

export const getCampaign = async (id: string): Promise<CampaignItem> => {
  const campaign = await findCampaign(id);
  if (!campaign) throw notFound('Campaign');
  return campaign;
};

/**
 * How many of the people who opened the survey from the e-mail also pressed Send. A click is
 * counted once per invitation, so this is per person; an answer that came without a click (a
 * JSON client) can lift it above 1, which is shown as is rather than hidden.
 */
export const clickToAnswerRate = (clicked: number, responded: number): number | null =>
  clicked === 0 ? null : Math.round((responded / clicked) * 1000) / 1000;

export const campaignCounts = async (id: string): Promise<CampaignCounts> => {
  const [shards, total] = await Promise.all([
    dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :counts)',
        ExpressionAttributeValues: { ':pk': keys.campaign(id).PK, ':counts': COUNTS_PREFIX },
        ConsistentRead: true,
      }),
    ),
    readTotal(campaignScope(id)),
  ]);
  const summed: Record<string, number> = {};
  for (const item of shards.Items ?? []) {
    for (const [attr, value] of Object.entries(item)) if (typeof value === 'number') summed[attr] = (summed[attr] ?? 0) + value;
  }
  const counts = CountsItem.parse(summed);
  const skipped: Record<string, number> = {};
  for (const [attr, value] of Object.entries(counts)) {
    if (attr.startsWith(SKIPPED_PREFIX) && typeof value === 'number' && value > 0) skipped[attr.slice(SKIPPED_PREFIX.length)] = value;
  }
  const settled = counts.sent + counts.failed + counts.suppressed + counts.withdrawn;
  const responded = total.promoters + total.passives + total.detractors;
  return {
    recipients: counts.recipients,
    scheduled: counts.scheduled,
    queued: Math.max(0, counts.recipients - counts.scheduled - settled),
    sent: counts.sent,
    failed: counts.failed,
    suppressed: counts.suppressed,
    withdrawn: counts.withdrawn,
    reminded: counts.reminded,
    skipped,
    clicked: counts.clicked,
    responded,
    clickToAnswerRate: clickToAnswerRate(counts.clicked, responded),
  };
};

/**
 * What an SMS campaign's invitation will look like, with its encoding and segment count, so
 * marketing sees the cost of a long question or brand before anything is sent.
 */
export const smsPreview = (campaign: CampaignItem): SmsPreview | undefined => {
  if (campaign.channel !== 'sms') return undefined;
  const text = invitationSms({ brand: campaign.brand, locale: campaign.locale, question: campaign.question });
  return { text, ...segmentsOf(text) };
};

/** A campaign as the API shows it: with its counts and, for SMS, the invitation preview. */
export const campaignView = (campaign: CampaignItem): CampaignView => {
  const preview = smsPreview(campaign);
  return { ...campaign, ...(preview ? { smsPreview: preview } : {}) };
};

export const campaignWithCounts = async (id: string): Promise<CampaignWithCounts> => {
  const [campaign, counts] = await Promise.all([getCampaign(id), campaignCounts(id)]);
  return { ...campaignView(campaign), counts };
};

/** Newest first, paginated by an opaque cursor; each with its counts, so a list shows how campaigns compare. */
export const listCampaigns = async (limit: number, cursor?: string): Promise<CampaignPage> => {
  const out = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.campaigns },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, { attribute: 'GSI1PK', value: gsi1.campaigns }),
    }),
  );
  return {
    items: await Promise.all(
      (out.Items ?? []).map(async (item) => {
        const campaign = CampaignItem.parse(withoutKeys(item));
        return { ...campaignView(campaign), counts: await campaignCounts(campaign.id) };
      }),
    ),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
};
