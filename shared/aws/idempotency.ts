import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
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

/**
 * Runs `fn` once per (scope, Idempotency-Key) for 24 hours: a repeat with the same key and the
 * same payload gets the first answer back without running again; the same key with another
 * payload, or while the first is still running, is a 409.
 */
export const idempotent = <T, R>(fn: (payload: T) => Promise<R>) => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[scope, key]',
    payloadValidationJmesPath: 'payload',
    expiresAfterSeconds: IDEMPOTENCY_KEY_HOURS * 3600,
  });
  let wrapped: ((request: Keyed<T>) => Promise<R>) | undefined;
  return async (request: Keyed<T>, context: Context): Promise<R> => {
    wrapped ??= makeIdempotent((r: Keyed<T>) => fn(r.payload), { persistenceStore: persistenceStore(), config });
    config.registerLambdaContext(context);
    try {
      return await wrapped(request);
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
