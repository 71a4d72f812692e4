/**
 * The cold-import baseline of bench/bundles.ts: a bare DynamoDBClient, the least any of our
 * functions loads, bundled exactly as the functions are.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const client = new DynamoDBClient({});
