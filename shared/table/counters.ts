import { tableName } from '#shared/aws/config';
import { keys } from '#shared/table/items';

/**
 * The write that moves a campaign's counters (`ADD name :n` for each), as a transaction item:
 * counters move in the same transaction as the state change they count, so they cannot drift.
 * Counters live in shards (see keys.campaignCounts); by default a random one takes the write.
 */
export const countIn = (campaignId: string, add: Readonly<Record<string, number>>, shard?: number) => {
  const names = Object.keys(add).filter((name) => add[name] !== 0);
  return {
    Update: {
      TableName: tableName(),
      Key: keys.campaignCounts(campaignId, shard),
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:c${i}`, add[name]])),
    },
  };
};
