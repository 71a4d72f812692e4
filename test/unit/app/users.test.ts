import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { listUsers, recordUserSeen, USER_SEEN_INTERVAL_MS } from '#shared/app/users';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  process.env.TABLE_NAME = 'npsloop-test';
});

describe('who has signed in', () => {
  it('writes a person at most once an hour from one container', async () => {
    // GIVEN a person seen now
    ddb.on(UpdateCommand).resolves({});
    const now = new Date('2026-12-01T10:00:00.000Z');
    await recordUserSeen({ email: 'Hour@Example.com', roles: ['manager'] }, now);

    // WHEN they call again within the hour, and once after it
    await recordUserSeen({ email: 'Hour@Example.com', roles: ['manager'] }, new Date(now.getTime() + USER_SEEN_INTERVAL_MS - 1));
    await recordUserSeen({ email: 'Hour@Example.com', roles: ['manager'] }, new Date(now.getTime() + USER_SEEN_INTERVAL_MS));

    // THEN two writes, keyed by the address in lower case, each conditional on the hour
    const writes = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(writes).toHaveLength(2);
    expect(writes[0]?.Key).toEqual({ PK: 'USER#hour@example.com', SK: 'USER' });
    expect(writes[0]?.ConditionExpression).toContain('lastSeenAt < :stale');
    expect(writes[0]?.ExpressionAttributeValues).toMatchObject({ ':email': 'Hour@Example.com', ':roles': ['manager'], ':users': 'USERS' });
  });

  it('writes again at once when the roles changed', async () => {
    ddb.on(UpdateCommand).resolves({});
    const now = new Date('2026-12-01T10:00:00.000Z');
    await recordUserSeen({ email: 'promoted@example.com', roles: ['marketing'] }, now);
    await recordUserSeen({ email: 'promoted@example.com', roles: ['marketing', 'manager'] }, now);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('takes a write another container made within the hour as done', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    await expect(recordUserSeen({ email: 'race@example.com', roles: ['admin'] })).resolves.toBeUndefined();
  });

  it('lists people as stored, sorted by the index', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [{ PK: 'USER#a@example.com', SK: 'USER', GSI1PK: 'USERS', GSI1SK: 'a@example.com', email: 'a@example.com', roles: ['admin'], lastSeenAt: '2026-12-01T10:00:00.000Z' }],
    });
    expect(await listUsers()).toEqual({ items: [{ email: 'a@example.com', roles: ['admin'], lastSeenAt: '2026-12-01T10:00:00.000Z' }] });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ IndexName: 'GSI1', ExpressionAttributeValues: { ':pk': 'USERS' } });
  });
});
