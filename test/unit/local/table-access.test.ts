import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { AccessDeniedException, asFunction, deniedAccess, enforceTableAccess, keyShape, like, tableRequests } from '#local/lambda/table-access';
import { gsi1, gsi2, gsi3, keys } from '#shared/table/items';
import { type FunctionName, functions } from '#shared/contract/wiring';

/**
 * The local runtime's IAM check: each DynamoDB call a handler makes is held against its
 * function's `uses.table` in shared/contract/wiring.ts, the declaration the stack turns into IAM grants.
 */

/** A client whose calls never leave the process: the check runs, then a stub answers. */
const checkedClient = () => {
  const base = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const refused: AccessDeniedException[] = [];
  enforceTableAccess(base, (error) => refused.push(error));
  base.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), { step: 'finalizeRequest', name: 'stubAnswer' });
  return { dynamo: DynamoDBDocumentClient.from(base), refused };
};

describe('what a DynamoDB call asks IAM for', () => {
  it('names the partition key of an item call', () => {
    expect(tableRequests('GetItem', { Key: { PK: { S: 'INV#abc' }, SK: { S: 'INV' } } })).toEqual([
      { action: 'GetItem', leadingKeys: ['INV#abc'] },
    ]);
  });

  it("takes a Query's leading key from its key condition, on the index it names", () => {
    const input = {
      IndexName: 'GSI1',
      KeyConditionExpression: '#pk = :pk AND begins_with(GSI1SK, :sk)',
      ExpressionAttributeNames: { '#pk': 'GSI1PK' },
      ExpressionAttributeValues: { ':pk': { S: 'FOLLOWUPS' }, ':sk': { S: '01' } },
    };
    expect(tableRequests('Query', input)).toEqual([{ action: 'Query', index: 'GSI1', leadingKeys: ['FOLLOWUPS'] }]);
  });

  it('authorizes each item of a transaction under the action of its kind', () => {
    const input = {
      TransactItems: [
        { Put: { Item: { PK: { S: 'INV#1' } } } },
        { Update: { Key: { PK: { S: 'CAMPAIGN#c' } } } },
        { ConditionCheck: { Key: { PK: { S: 'OPTOUT#h' } } } },
        { Delete: { Key: { PK: { S: 'DUE#m#1' } } } },
      ],
    };
    expect(tableRequests('TransactWriteItems', input)).toEqual([
      { action: 'PutItem', leadingKeys: ['INV#1'] },
      { action: 'UpdateItem', leadingKeys: ['CAMPAIGN#c'] },
      { action: 'ConditionCheckItem', leadingKeys: ['OPTOUT#h'] },
      { action: 'DeleteItem', leadingKeys: ['DUE#m#1'] },
    ]);
  });

  it('authorizes a batch write once, over every key it writes or deletes', () => {
    const input = {
      RequestItems: {
        npsloop: [{ PutRequest: { Item: { PK: { S: 'DUE#a#1' } } } }, { DeleteRequest: { Key: { PK: { S: 'DUE#b#2' } } } }],
      },
    };
    expect(tableRequests('BatchWriteItem', input)).toEqual([{ action: 'BatchWriteItem', leadingKeys: ['DUE#a#1', 'DUE#b#2'] }]);
  });

  it('prints a key as a pattern without its ids', () => {
    expect(keyShape('CAMPAIGN#01JABC#RESP')).toBe('CAMPAIGN#*#RESP');
    expect(keyShape('DUE#CURSOR')).toBe('DUE#CURSOR');
    expect(keyShape('OPTOUT#3f9a')).toBe('OPTOUT#*');
  });
});

describe('the local IAM check', () => {
  const survey = functions.survey.uses.table ?? [];

  it('refuses an action the function does not declare, naming the function, the action and the key to add', () => {
    // GIVEN survey, which may put opt-outs but never delete them
    const requests = tableRequests('DeleteItem', { Key: { PK: { S: 'OPTOUT#3f9a' }, SK: { S: 'OPTOUT' } } });
    // WHEN
    const denied = deniedAccess('survey', survey, requests);
    // THEN
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied?.message).toMatch(/^survey is not allowed dynamodb:DeleteItem for leading key OPTOUT#\*\. /);
    expect(denied?.message).toContain("add { actions: ['DeleteItem'], leadingKeys: ['OPTOUT#*'] } to functions.survey.uses.table in shared/contract/wiring.ts");
    expect(denied?.message).not.toContain('3f9a');
  });

  it('refuses a declared action on a partition the function may not touch', () => {
    const denied = deniedAccess('survey', survey, tableRequests('GetItem', { Key: { PK: { S: 'FOLLOWUP#01J' }, SK: { S: 'FOLLOWUP' } } }));
    expect(denied?.message).toMatch(/^survey is not allowed dynamodb:GetItem for leading key FOLLOWUP#\*/);
  });

  it('refuses a Query on an index that is not granted, even for a key that is', () => {
    const query = (index?: string) =>
      tableRequests('Query', {
        ...(index ? { IndexName: index } : {}),
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'FOLLOWUPS#OPEN' } },
      });
    const escalate = functions.escalateOverdue.uses.table ?? [];
    expect(deniedAccess('escalateOverdue', escalate, query('GSI2'))).toBeUndefined();
    expect(deniedAccess('escalateOverdue', escalate, query('GSI3'))?.message).toMatch(/dynamodb:Query on index GSI3/);
  });

  it('refuses a batch whose keys are not all covered by one grant, as ForAllValues does', () => {
    const grants = [{ actions: ['BatchWriteItem'], leadingKeys: ['DUE#*'] }] as const;
    const batch = tableRequests('BatchWriteItem', {
      RequestItems: { t: [{ PutRequest: { Item: { PK: { S: 'DUE#a#1' } } } }, { PutRequest: { Item: { PK: { S: 'INV#x' } } } }] },
    });
    expect(deniedAccess('releaseDue', grants, batch)?.message).toMatch(/dynamodb:BatchWriteItem for leading key DUE#\*#\*, INV#\*/);
  });

  it('stops an undeclared call of an invoked function before it reaches DynamoDB, and lets declared ones through', async () => {
    // GIVEN a checked client, as the local runtime makes of the handlers' shared one
    const { dynamo, refused } = checkedClient();
    // WHEN survey deletes an opt-out, and reads an invitation
    const deleting = asFunction('survey', survey, () =>
      dynamo.send(new DeleteCommand({ TableName: 'npsloop', Key: { PK: 'OPTOUT#3f9a', SK: 'OPTOUT' } })),
    );
    const reading = asFunction('survey', survey, () => dynamo.send(new GetCommand({ TableName: 'npsloop', Key: { PK: 'INV#1', SK: 'INV' } })));
    // THEN
    await expect(deleting).rejects.toThrow(AccessDeniedException);
    await expect(deleting).rejects.toThrow(/survey is not allowed dynamodb:DeleteItem/);
    await expect(reading).resolves.toBeDefined();
    expect(refused).toHaveLength(1);
  });

  it('checks every item of a transaction, and checks nothing outside an invocation', async () => {
    const { dynamo } = checkedClient();
    const transaction = new TransactWriteCommand({
      TransactItems: [
        { Update: { TableName: 'npsloop', Key: { PK: 'INV#1', SK: 'INV' }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 } } },
        { Put: { TableName: 'npsloop', Item: { PK: 'FOLLOWUP#1', SK: 'FOLLOWUP' } } },
      ],
    });
    await expect(asFunction('survey', survey, () => dynamo.send(transaction))).rejects.toThrow(/dynamodb:PutItem for leading key FOLLOWUP#\*/);
    // The runtime's own calls and tests seeding data run as no function.
    await expect(dynamo.send(new QueryCommand({ TableName: 'npsloop', KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'X' } }))).resolves.toBeDefined();
  });
});

describe("the leading keys declared in shared/contract/wiring.ts", () => {
  // One key of every kind shared/table/items.ts builds, table and index partitions alike, and the
  // partition Powertools idempotency writes (shared/aws/idempotency.ts, staticPkValue).
  const partitions = [
    ...[
      keys.campaign('c'),
      keys.campaignCounts('c', 0),
      keys.campaignRecipient('c', 'h'),
      keys.invitation('i'),
      keys.response('i'),
      keys.followupGuard('i'),
      keys.followup('f'),
      keys.optOut('h'),
      keys.suppression('h'),
      keys.contact('h'),
      keys.due('2026-12-01T10:00', 3, 'g'),
      keys.dueCursor(),
      keys.conversation('h'),
      keys.inboundSms('m'),
      keys.aggregate('ALL', 'TOTAL#0'),
      keys.streamCheckpoint('s'),
      keys.outbox('2026-12-01T10:00:00.000Z', 'g'),
      keys.themeSet(),
      keys.retagJob(),
      keys.user('ann@example.com'),
      keys.followupEvent('f', 'e'),
      keys.replyGuard('f', 'k'),
      keys.assignmentRules(),
      keys.migration('m'),
    ].map((key) => key.PK),
    gsi1.campaigns,
    gsi1.contactInvitations('h'),
    gsi1.campaignResponses('c'),
    gsi1.followups,
    gsi1.users,
    gsi2.openFollowups,
    gsi3.activeFollowups,
    'IDEMPOTENCY',
  ];

  it.each(Object.keys(functions) as FunctionName[])('of %s each match a key the code builds (no typo grants nothing)', (name) => {
    for (const grant of functions[name].uses.table ?? []) {
      for (const pattern of grant.leadingKeys ?? []) {
        expect(partitions.some((partition) => like(pattern, partition)), `${name}: ${pattern}`).toBe(true);
      }
    }
  });
});
