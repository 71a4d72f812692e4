import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { dynamoClient } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { DomainError } from '#shared/core/errors';
import { table } from '#shared/contract/wiring';

const IDEMPOTENCY_KEY_HOURS = 24;

let store: DynamoDBPersistenceLayer | undefined;

/** Powertools idempotency records live in the app table, expired by its TTL attribute. */
const persistenceStore = () =>
  (store ??= new DynamoDBPersistenceLayer({
    tableName: tableName(),
    keyAttr: table.partitionKey,
    sortKeyAttr: table.sortKey,
    staticPkValue: 'IDEMPOTENCY',
    expiryAttr: table.timeToLiveAttribute,
    awsSdkV3Client: dynamoClient,
  }));

export interface Keyed<T> {
  /** The client's Idempotency-Key, scoped by `scope` (e.g. the campaign). */
  readonly key: string;
  readonly scope: string;
  readonly payload: T;
}

/** An idempotent call's answer, and whether it is the stored answer of an earlier call (nothing ran now). */
export interface Once<R> {
  readonly value: R;
  readonly replayed: boolean;
}

/**
 * Runs `fn` once per (scope, Idempotency-Key) for 24 hours: a repeat with the same key and the
 * same payload gets the first answer back without running again, marked `replayed`; the same
 * key with another payload, or while the first is still running, is a 409.
 */
export const idempotent = <T, R>(fn: (payload: T) => Promise<R>) => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[scope, key]',
    payloadValidationJmesPath: 'payload',
    expiresAfterSeconds: IDEMPOTENCY_KEY_HOURS * 3600,
  });
  // Each call names itself (outside the key and the validated payload); the stored answer carries
  // the name of the call that ran, so a replay is told by a name that is not its own.
  type Run = Keyed<T> & { readonly runId: string };
  let wrapped: ((request: Run) => Promise<{ runId: string; value: R }>) | undefined;
  return async (request: Keyed<T>, context: Context): Promise<Once<R>> => {
    wrapped ??= makeIdempotent(async (r: Run) => ({ runId: r.runId, value: await fn(r.payload) }), { persistenceStore: persistenceStore(), config });
    config.registerLambdaContext(context);
    const runId = randomUUID();
    try {
      const out = await wrapped({ ...request, runId });
      return { value: out.value, replayed: out.runId !== runId };
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        throw new DomainError('conflict', 'This Idempotency-Key was already used with a different request body');
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new DomainError('conflict', 'A request with this Idempotency-Key is still in progress');
      }
      throw error;
    }
  };
};
