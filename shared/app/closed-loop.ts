/**
 * The closed-loop figures (`GET /v1/followups/stats`): over the cases opened in a range, how
 * many were contacted, how soon someone acted, how many closed within the SLA. Cases are read
 * by their id range on GSI1 (`FOLLOWUPS`, sorted by id): ids are ULIDs, which begin with their
 * creation time, so a day range is a key range and nothing is scanned.
 */
import { encodeTime } from 'ulid';
import { tableName } from '#shared/aws/config';
import { closedLoopFigures, type CaseTimes } from '#shared/core/closed-loop';
import { LEGACY_RESOLVED } from '#shared/core/vocabulary';
import { followupSlaHours } from '#shared/app/followups';
import { gsi1 } from '#shared/table/items';
import { queryAll } from '#shared/table/query';
import type { ClosedLoopStats } from '#shared/contract/followups';

const DAY_MS = 86_400_000;
/** The smallest and the largest ULID of a millisecond. */
const firstIdAt = (ms: number) => `${encodeTime(ms, 10)}${'0'.repeat(16)}`;
const lastIdAt = (ms: number) => `${encodeTime(ms, 10)}${'Z'.repeat(16)}`;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export const closedLoopStats = async (query: { campaignId?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<ClosedLoopStats> => {
  const range: string[] = [];
  const values: Record<string, string> = { ':pk': gsi1.followups };
  if (query.from) values[':from'] = firstIdAt(Date.parse(`${query.from}T00:00:00Z`));
  if (query.to) values[':to'] = lastIdAt(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS - 1);
  if (query.from && query.to) range.push('GSI1SK BETWEEN :from AND :to');
  else if (query.from) range.push('GSI1SK >= :from');
  else if (query.to) range.push('GSI1SK <= :to');
  if (query.campaignId) values[':campaignId'] = query.campaignId;
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'GSI1',
    KeyConditionExpression: ['GSI1PK = :pk', ...range].join(' AND '),
    ...(query.campaignId ? { FilterExpression: 'campaignId = :campaignId' } : {}),
    ProjectionExpression: 'createdAt, #status, firstActionAt, closedAt, resolvedAt, contactedAt, updatedAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: values,
  });
  const cases: CaseTimes[] = items.map((item) => {
    // 0.1 closed a case as `resolved`, with resolvedAt.
    const legacy = item.status === LEGACY_RESOLVED;
    return {
      createdAt: text(item.createdAt) ?? '',
      status: legacy ? 'closed' : (text(item.status) ?? 'open'),
      firstActionAt: text(item.firstActionAt),
      closedAt: text(item.closedAt) ?? (legacy ? (text(item.resolvedAt) ?? text(item.updatedAt)) : undefined),
      contactedAt: text(item.contactedAt),
    };
  });
  const slaHours = followupSlaHours();
  return { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}), slaHours, ...closedLoopFigures(cases, slaHours) };
};
