/**
 * Everyone who has signed in to the console, with the roles their identity provider gave them
 * and when they were last seen: the people a case can be assigned to (`GET /v1/users`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo } from '#shared/aws/clients';
import { tableName } from '#shared/aws/config';
import { Role } from '#shared/core/vocabulary';
import { queryAll } from '#shared/table/query';
import { gsi1, keys } from '#shared/table/items';
import type { UserList } from '#shared/contract/users';

/** How often a person's item is written at most: lastSeenAt is good to the hour. */
export const USER_SEEN_INTERVAL_MS = 60 * 60 * 1000;

const UserItem = z.object({ email: z.string(), roles: z.array(Role), lastSeenAt: z.string() });

// Per container: who was written when, so most requests of a signed-in person write nothing.
const lastWritten = new Map<string, { at: number; roles: string }>();

/**
 * Notes that a person was seen: writes their item at most once an hour, or sooner when their
 * roles changed. The condition keeps a second container (or a retry) from writing it again
 * within the hour; losing that race is not an error.
 */
export const recordUserSeen = async (user: { email: string; roles: readonly Role[] }, now = new Date()): Promise<void> => {
  const key = keys.user(user.email);
  const roles = [...user.roles].sort();
  const remembered = lastWritten.get(key.PK);
  if (remembered && remembered.roles === roles.join() && now.getTime() - remembered.at < USER_SEEN_INTERVAL_MS) return;
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET email = :email, #roles = :roles, lastSeenAt = :now, GSI1PK = :users, GSI1SK = :sort',
        ConditionExpression: 'attribute_not_exists(PK) OR lastSeenAt < :stale OR #roles <> :roles',
        ExpressionAttributeNames: { '#roles': 'roles' },
        ExpressionAttributeValues: {
          ':email': user.email,
          ':roles': roles,
          ':now': now.toISOString(),
          ':stale': new Date(now.getTime() - USER_SEEN_INTERVAL_MS).toISOString(),
          ':users': gsi1.users,
          ':sort': user.email.toLowerCase(),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  lastWritten.set(key.PK, { at: now.getTime(), roles: roles.join() });
};

/** Everyone who has signed in, sorted by e-mail address. */
export const listUsers = async (): Promise<UserList> => {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': gsi1.users },
  });
  return { items: items.map((item) => UserItem.parse(item)) };
};
