import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';

/** An effect another attempt is performing right now; the message is retried later. */
export class EffectInFlight extends Error {
  constructor(what: string) {
    super(`${what} is in progress in another attempt`);
    this.name = 'EffectInFlight';
  }
}

export interface Lease {
  readonly key: { PK: string; SK: string };
  /** Set when the effect has happened; once set, nobody performs it again. */
  readonly doneAttr: string;
  /** Set while an attempt performs the effect; a claim older than `leaseMs` is taken over. */
  readonly claimAttr: string;
  readonly leaseMs: number;
  readonly what: string;
  /** An attribute that, once on the item, cancels the effect for good (an erased case is never alerted). */
  readonly cancelledBy?: string;
}

/**
 * Performs an external effect (an alert, a reminder) once per item, as far as a system without
 * a transactional outbox allows: claim the item with a conditional write, perform the effect,
 * then mark it done. A duplicate finds it done (and does nothing) or claimed (and retries
 * later). Only an attempt that dies between the effect and the mark, and whose lease then runs
 * out, lets the effect happen twice.
 * Returns false when the effect had already been done, or was cancelled.
 */
export const once = async (lease: Lease, effect: () => Promise<void>, now = new Date()): Promise<boolean> => {
  const names = { '#done': lease.doneAttr, '#claim': lease.claimAttr };
  const cancelled = lease.cancelledBy ? ' AND attribute_not_exists(#cancelled)' : '';
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: lease.key,
        UpdateExpression: 'SET #claim = :now',
        ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(#done) AND (attribute_not_exists(#claim) OR #claim < :stale)${cancelled}`,
        ExpressionAttributeNames: { ...names, ...(lease.cancelledBy ? { '#cancelled': lease.cancelledBy } : {}) },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':stale': new Date(now.getTime() - lease.leaseMs).toISOString() },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = await dynamo.send(new GetCommand({ TableName: tableName(), Key: lease.key, ConsistentRead: true }));
    if (!current.Item || current.Item[lease.doneAttr] !== undefined) return false;
    if (lease.cancelledBy && current.Item[lease.cancelledBy] !== undefined) return false;
    throw new EffectInFlight(lease.what);
  }
  await performClaimed(lease, effect, now);
  return true;
};

/**
 * Performs the effect under a claim this attempt already holds (made at `claimedAt`, for example
 * with the item itself, which saves the claim's write), then marks it done; on failure the
 * claim is given back for a retry.
 */
export const performClaimed = async (lease: Lease, effect: () => Promise<void>, claimedAt: Date): Promise<void> => {
  const names = { '#done': lease.doneAttr, '#claim': lease.claimAttr };
  try {
    await effect();
  } catch (error) {
    // Give the claim back so a retry need not wait out the lease; if this fails, the lease does.
    await dynamo
      .send(
        new UpdateCommand({
          TableName: tableName(),
          Key: lease.key,
          UpdateExpression: 'REMOVE #claim',
          ConditionExpression: '#claim = :now',
          ExpressionAttributeNames: { '#claim': lease.claimAttr },
          ExpressionAttributeValues: { ':now': claimedAt.toISOString() },
        }),
      )
      .catch(() => undefined);
    throw error;
  }
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: lease.key,
      UpdateExpression: 'SET #done = :now REMOVE #claim',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':now': claimedAt.toISOString() },
    }),
  );
};
