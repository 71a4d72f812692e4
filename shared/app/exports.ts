/**
 * The response feed and its CSV export (`GET /v1/responses`): newest first, across campaigns or
 * within one, narrowed by date range, category, segment value, theme and words in the comment.
 *
 * Where it reads: one campaign's responses are its GSI1 partition, sorted by first answer; every
 * campaign's are GSI4, one partition per month, read from the newest month back. The date range
 * is a key condition; the other filters are a FilterExpression on the pages read. A filtered
 * page keeps reading until it is full or a read budget is spent, then hands back a cursor, so
 * a page is rarely empty while more exists and a request never reads without end.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { responsesCsv as renderResponsesCsv } from '#shared/render/responses-csv';
import { decodeCursor, decodeMonthCursor, encodeCursor, encodeMonthCursor } from '#shared/table/cursor';
import { batchGet } from '#shared/table/query';
import { CAMPAIGN_FEED_PREFIX, CampaignItem, gsi1, gsi4, InvitationItem, keys, ResponseItem, withoutKeys } from '#shared/table/items';
import { firstDayOfLast, foldForSearch, monthOf, previousMonth, scoreRange } from '#shared/core/feed';
import { category } from '#shared/core/nps';
import type { ResponsePage, ResponseRow, ResponsesQuery } from '#shared/contract/responses';
import * as z from 'zod/mini';

/** What narrows the feed: the query without its paging and format. */
export type FeedFilter = Omit<ResponsesQuery, 'limit' | 'cursor' | 'format'>;

/** Whether the rows carry each response's contact: marketing's never do. */
export interface FeedView {
  readonly withContacts: boolean;
}

/** How much one request may read before it answers with what it found and a cursor. */
export const READ_BUDGET = { queries: 12, items: 2_000 } as const;
/** Items a filtered read asks for at a time (an unfiltered one asks for exactly what the page lacks). */
const FILTERED_READ = 250;

interface Filter {
  readonly expression?: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** The FilterExpression of the filters that are not part of the key. */
export const filterExpression = (filter: FeedFilter): Filter => {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.category) {
    parts.push('score BETWEEN :low AND :high');
    values[':low'] = scoreRange[filter.category].low;
    values[':high'] = scoreRange[filter.category].high;
  }
  if (filter.segment) {
    parts.push('#segments.#attribute = :value');
    names['#segments'] = 'segments';
    names['#attribute'] = filter.segment.attribute;
    values[':value'] = filter.segment.value;
  }
  if (filter.theme) {
    parts.push('contains(themes, :theme)');
    values[':theme'] = filter.theme;
  }
  if (filter.q) {
    parts.push('contains(commentFolded, :q)');
    values[':q'] = foldForSearch(filter.q);
  }
  return { ...(parts.length ? { expression: parts.join(' AND ') } : {}), names, values };
};

/** The days of first answer the filter keeps, both ends included; open ends are absent. */
export const dayRange = (filter: FeedFilter, now: Date): { from?: string; to?: string } =>
  filter.days !== undefined ? { from: firstDayOfLast(filter.days, now) } : { ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}) };

/** '~' sorts after every character of a timestamp: `<day>~` is past the last moment of that day. */
const END = '~';

/** One partition to read, with its key condition; `next` is the partition to read after it, if any. */
interface Partition {
  readonly index: 'GSI1' | 'GSI4';
  readonly attribute: 'GSI1PK' | 'GSI4PK';
  readonly sortAttribute: 'GSI1SK' | 'GSI4SK';
  readonly value: string;
  readonly low: string;
  readonly high: string;
  readonly month?: string;
}

const campaignPartition = (campaignId: string, range: { from?: string; to?: string }): Partition => ({
  index: 'GSI1',
  attribute: 'GSI1PK',
  sortAttribute: 'GSI1SK',
  value: gsi1.campaignResponses(campaignId),
  // Responses not yet given their feed keys (bare invitation ids, from before the feed) fall outside.
  low: `${CAMPAIGN_FEED_PREFIX}${range.from ?? ''}`,
  high: `${CAMPAIGN_FEED_PREFIX}${range.to ?? ''}${END}`,
});

const monthPartition = (month: string, range: { from?: string; to?: string }): Partition => ({
  index: 'GSI4',
  attribute: 'GSI4PK',
  sortAttribute: 'GSI4SK',
  value: gsi4.responses(month),
  // A key value may not be empty: '0' is below every timestamp.
  low: range.from ?? '0',
  high: `${range.to ?? ''}${END}`,
  month,
});

/** The month of the oldest campaign: no response is older, so the feed across campaigns stops there. */
const oldestMonth = async (): Promise<string | undefined> => {
  const out = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.campaigns },
      Limit: 1,
    }),
  );
  const oldest = out.Items?.[0];
  return oldest ? monthOf(z.pick(CampaignItem, { createdAt: true }).parse(oldest).createdAt) : undefined;
};

/** The key DynamoDB would hand back after `item`, so a page may stop part-way through what it read. */
const keyAfter = (item: Record<string, unknown>, partition: Partition): Record<string, string> => ({
  PK: String(item.PK),
  SK: String(item.SK),
  [partition.attribute]: String(item[partition.attribute]),
  [partition.sortAttribute]: String(item[partition.sortAttribute]),
});

const campaignNames = async (ids: readonly string[]): Promise<Map<string, string>> => {
  const found = await batchGet([...new Set(ids)].map((id) => keys.campaign(id)));
  return new Map([...found.values()].map((item) => { const c = CampaignItem.parse(withoutKeys(item)); return [c.id, c.name]; }));
};

const rowsOf = async (raw: readonly Record<string, unknown>[], view: FeedView): Promise<ResponseRow[]> => {
  const responses = raw.map((item) => ResponseItem.parse(item));
  const [invitations, names] = await Promise.all([
    view.withContacts ? batchGet(responses.map((r) => keys.invitation(r.invitationId))) : new Map<string, Record<string, unknown>>(),
    campaignNames(responses.map((r) => r.campaignId)),
  ]);
  return responses.map((r) => {
    const stored = invitations.get(`${keys.invitation(r.invitationId).PK}|INV`);
    const contact = stored ? InvitationItem.parse(withoutKeys(stored)).contact : {};
    const campaignName = names.get(r.campaignId);
    return {
      invitationId: r.invitationId,
      campaignId: r.campaignId,
      ...(campaignName !== undefined ? { campaignName } : {}),
      score: r.score,
      category: category(r.score),
      ...(r.comment ? { comment: r.comment } : {}),
      themes: r.themes ?? [],
      segments: r.segments,
      firstAnsweredAt: r.firstAnsweredAt,
      answeredAt: r.answeredAt,
      ...(view.withContacts
        ? {
            contact: {
              ...(contact.email ? { email: contact.email } : {}),
              ...(contact.name ? { name: contact.name } : {}),
              ...(contact.phone ? { phone: contact.phone } : {}),
              ...(contact.externalId ? { externalId: contact.externalId } : {}),
            },
          }
        : {}),
    };
  });
};

/**
 * One page of the feed, newest first (by first answer), with contacts unless `view` says not.
 * Reads partition after partition (for every campaign, month after month back to the oldest
 * campaign's) until `limit` rows match or READ_BUDGET is spent; `nextCursor` goes on from there.
 */
export const readFeed = async (filter: FeedFilter, limit: number, cursor: string | undefined, view: FeedView, now = new Date()): Promise<ResponsePage> => {
  const range = dayRange(filter, now);
  const where = filterExpression(filter);
  let partition: Partition;
  let start: Record<string, string> | undefined;
  let floor: string | undefined;
  if (filter.campaignId) {
    partition = campaignPartition(filter.campaignId, range);
    start = decodeCursor(cursor, { attribute: 'GSI1PK', value: partition.value });
  } else {
    const today = now.toISOString().slice(0, 10);
    const top = monthOf(range.to && range.to < today ? range.to : today);
    const oldest = await oldestMonth();
    floor = oldest && range.from && monthOf(range.from) > oldest ? monthOf(range.from) : oldest;
    if (!floor || floor > top) return { items: [] };
    const lowest = floor;
    const position = cursor ? decodeMonthCursor(cursor, 'GSI4PK', gsi4.responses, (m) => m >= lowest && m <= top) : { month: top };
    partition = monthPartition(position.month, range);
    start = position.key;
  }

  const found: Record<string, unknown>[] = [];
  let queries = 0;
  let evaluated = 0;
  // Where the next page starts, or undefined when nothing is left.
  let next: { partition: Partition; key?: Record<string, string> } | undefined;
  for (;;) {
    const out: QueryCommandOutput = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: partition.index,
        KeyConditionExpression: `${partition.attribute} = :pk AND ${partition.sortAttribute} BETWEEN :sortLow AND :sortHigh`,
        ...(where.expression ? { FilterExpression: where.expression } : {}),
        ...(Object.keys(where.names).length ? { ExpressionAttributeNames: where.names } : {}),
        ExpressionAttributeValues: { ':pk': partition.value, ':sortLow': partition.low, ':sortHigh': partition.high, ...where.values },
        ScanIndexForward: false,
        Limit: where.expression ? FILTERED_READ : limit - found.length,
        ExclusiveStartKey: start,
      }),
    );
    queries += 1;
    evaluated += out.ScannedCount ?? 0;
    const items = out.Items ?? [];
    const room = limit - found.length;
    found.push(...items.slice(0, room));
    const monthBefore = partition.month !== undefined && floor !== undefined && previousMonth(partition.month) >= floor ? previousMonth(partition.month) : undefined;
    const after = (key: Record<string, string> | undefined) =>
      key ? { partition, key } : monthBefore ? { partition: monthPartition(monthBefore, range) } : undefined;
    if (items.length > room) {
      // Full part-way through what was read: go on after the last row kept.
      next = { partition, key: keyAfter(found[found.length - 1] ?? {}, partition) };
      break;
    }
    next = after(out.LastEvaluatedKey as Record<string, string> | undefined);
    if (!next || found.length >= limit || queries >= READ_BUDGET.queries || evaluated >= READ_BUDGET.items) break;
    partition = next.partition;
    start = next.key;
  }
  const nextCursor = !next
    ? undefined
    : next.partition.month !== undefined
      ? encodeMonthCursor({ month: next.partition.month, ...(next.key ? { key: next.key } : {}) })
      : encodeCursor(next.key);
  return { items: await rowsOf(found, view), ...(nextCursor ? { nextCursor } : {}) };
};

/** Lambda answers at most 6 MB; a CSV page stops well short and hands out a cursor for the rest. */
const CSV_PAGE_BYTES = 4 * 1024 * 1024;

/** The rows as CSV (shared/render/responses-csv.ts), with contact columns when the view shows contacts. */
export const responsesCsv = (rows: readonly ResponseRow[], view: FeedView): string => renderResponsesCsv(rows, view.withContacts);

/**
 * The filtered feed as CSV, page after page until the byte budget, so a large export is fetched
 * as a few large pages (`nextCursor` carries on) rather than one response Lambda cannot return.
 * Each page has its own header row.
 */
export const exportFeedCsv = async (filter: FeedFilter, cursor: string | undefined, view: FeedView, now = new Date()) => {
  const rows: ResponseRow[] = [];
  let bytes = 0;
  let next = cursor;
  do {
    const page = await readFeed(filter, 100, next, view, now);
    rows.push(...page.items);
    bytes += Buffer.byteLength(responsesCsv(page.items, view));
    next = page.nextCursor;
  } while (next && bytes < CSV_PAGE_BYTES);
  return { body: responsesCsv(rows, view), nextCursor: next };
};
