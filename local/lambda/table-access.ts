import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { table, type TableGrant } from '#shared/contract/wiring';

/**
 * The function's DynamoDB permissions, played locally: every DynamoDB call a handler makes while
 * the local runtime invokes it is checked against the function's `uses.table` in
 * shared/contract/wiring.ts, as IAM checks the statements the stack makes of the same declaration. A call
 * no grant covers fails with AccessDeniedException before it reaches DynamoDB Local, so the
 * integration suite proves every declaration sufficient and every handler within it.
 *
 * All handlers share one process and module-scoped SDK clients, so the caller is known from the
 * invocation, not the client: local-function.ts runs each invocation inside `asFunction`.
 */

interface Caller {
  readonly name: string;
  readonly grants: readonly TableGrant[];
}

const caller = new AsyncLocalStorage<Caller>();

/** Runs `invocation` as the named function: its DynamoDB calls are checked against `grants`. */
export const asFunction = <T>(name: string, grants: readonly TableGrant[], invocation: () => T): T =>
  caller.run({ name, grants }, invocation);

/**
 * What IAM authorizes for one call: an action, on the table or an index, for the partition-key
 * values it names. A batch is one authorization over all its keys (ForAllValues); each item of
 * a transaction is its own, under the action of its kind.
 */
export interface TableRequest {
  readonly action: string;
  readonly index?: string;
  readonly leadingKeys: readonly string[];
}

type Attributes = Record<string, unknown>;

const isRecord = (value: unknown): value is Attributes => typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The string partition key of a marshalled item or key (`{ PK: { S: 'INV#…' } }`). */
const partitionKeyOf = (item: unknown, attribute: string = table.partitionKey): string[] => {
  const value = isRecord(item) ? item[attribute] : undefined;
  return isRecord(value) && typeof value.S === 'string' ? [value.S] : [];
};

/** The partition-key value a Query's key condition fixes (`PK = :pk`, `#pk = :pk`, in either order). */
const queriedPartitionKey = (input: Attributes, attribute: string): string[] => {
  const names = isRecord(input.ExpressionAttributeNames) ? input.ExpressionAttributeNames : {};
  const values = isRecord(input.ExpressionAttributeValues) ? input.ExpressionAttributeValues : {};
  const nameOf = (token: string) => (token.startsWith('#') ? names[token] : token);
  const expression = typeof input.KeyConditionExpression === 'string' ? input.KeyConditionExpression : '';
  for (const clause of expression.split(/\s+AND\s+/i)) {
    const match = /^\(?\s*([#\w]+)\s*=\s*(:\w+)\s*\)?$/.exec(clause.trim()) ?? /^\(?\s*(:\w+)\s*=\s*([#\w]+)\s*\)?$/.exec(clause.trim());
    if (!match) continue;
    const [name, value] = match[1]?.startsWith(':') ? [match[2] ?? '', match[1]] : [match[1] ?? '', match[2] ?? ''];
    if (nameOf(name) === attribute) return partitionKeyOf({ [attribute]: values[value] }, attribute);
  }
  return [];
};

const transactionActions = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' } as const;

/** The authorizations a DynamoDB call needs, from its operation and marshalled input. */
export function tableRequests(operation: string, input: Attributes): TableRequest[] {
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: operation, leadingKeys: partitionKeyOf(input.Key) }];
    case 'PutItem':
      return [{ action: operation, leadingKeys: partitionKeyOf(input.Item) }];
    case 'Query':
    case 'Scan': {
      const index = typeof input.IndexName === 'string' ? input.IndexName : undefined;
      const attribute = index ? table.indexes.find((i) => i.name === index)?.partitionKey : table.partitionKey;
      const leadingKeys = operation === 'Query' && attribute ? queriedPartitionKey(input, attribute) : [];
      return [{ action: operation, ...(index ? { index } : {}), leadingKeys }];
    }
    case 'BatchGetItem':
      return Object.values(isRecord(input.RequestItems) ? input.RequestItems : {}).map((request) => ({
        action: operation,
        leadingKeys: listOf(isRecord(request) ? request.Keys : undefined).flatMap((key) => partitionKeyOf(key)),
      }));
    case 'BatchWriteItem':
      return Object.values(isRecord(input.RequestItems) ? input.RequestItems : {}).map((requests) => ({
        action: operation,
        leadingKeys: listOf(requests).flatMap((request) =>
          isRecord(request) ? [...partitionKeyOf(isRecord(request.PutRequest) ? request.PutRequest.Item : undefined), ...partitionKeyOf(isRecord(request.DeleteRequest) ? request.DeleteRequest.Key : undefined)] : [],
        ),
      }));
    case 'TransactWriteItems':
      return listOf(input.TransactItems).flatMap((item) =>
        Object.entries(transactionActions).flatMap(([kind, action]) => {
          const part = isRecord(item) ? item[kind] : undefined;
          return isRecord(part) ? [{ action, leadingKeys: partitionKeyOf(kind === 'Put' ? part.Item : part.Key) }] : [];
        }),
      );
    case 'TransactGetItems':
      return listOf(input.TransactItems).map((item) => ({
        action: 'GetItem',
        leadingKeys: partitionKeyOf(isRecord(item) && isRecord(item.Get) ? item.Get.Key : undefined),
      }));
    default:
      // Anything else (DescribeTable, ExecuteStatement, …) is an action of its own, granted to nobody.
      return [{ action: operation, leadingKeys: [] }];
  }
}

// Each grant's patterns are compiled once: every DynamoDB call of every invocation is checked.
const compiled = new Map<string, RegExp>();

/** IAM `StringLike`: `*` matches any run of characters, `?` any one. */
export const like = (pattern: string, value: string): boolean => {
  let expression = compiled.get(pattern);
  if (!expression) {
    expression = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    compiled.set(pattern, expression);
  }
  return expression.test(value);
};

/** Whether one grant allows the request, as its statement would (ForAllValues:StringLike on dynamodb:LeadingKeys). */
const allows = (grant: TableGrant, request: TableRequest): boolean =>
  grant.actions.some((action) => action === request.action) &&
  grant.index === request.index &&
  (grant.leadingKeys === undefined || request.leadingKeys.every((key) => grant.leadingKeys?.some((pattern) => like(pattern, key))));

/**
 * A key's shape, safe to print and ready to paste as a pattern: the fixed upper-case words stay,
 * ids and hashed addresses become `*` (`CAMPAIGN#01J…#RESP` → `CAMPAIGN#*#RESP`).
 */
export const keyShape = (key: string): string =>
  key
    .split('#')
    .map((part) => (/^[A-Z]+$/.test(part) ? part : '*'))
    .join('#');

export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
}

/** The first request none of the grants allows, as an error that says what to declare; undefined when all are allowed. */
export function deniedAccess(functionName: string, grants: readonly TableGrant[], requests: readonly TableRequest[]): AccessDeniedException | undefined {
  const denied = requests.find((request) => !grants.some((grant) => allows(grant, request)));
  if (!denied) return undefined;
  const shapes = [...new Set(denied.leadingKeys.map(keyShape))];
  const where = denied.index ? ` on index ${denied.index}` : '';
  const keys = shapes.length > 0 ? ` for leading key ${shapes.join(', ')}` : '';
  const entry = `{ actions: ['${denied.action}']${denied.index ? `, index: '${denied.index}'` : ''}${shapes.length > 0 ? `, leadingKeys: [${shapes.map((s) => `'${s}'`).join(', ')}]` : ''} }`;
  return new AccessDeniedException(
    `${functionName} is not allowed dynamodb:${denied.action}${where}${keys}. ` +
      `If its code needs it, add ${entry} to functions.${functionName}.uses.table in shared/contract/wiring.ts (the stack grants the same on AWS).`,
  );
}

/**
 * Adds the check to a DynamoDB client's middleware stack, which a document client made `from` it
 * shares. It runs in the build step, after the document client has marshalled the input, so
 * keys are read the same way for both. Calls made outside an invocation (the runtime's own, tests
 * seeding data) are not checked; `onDenied` hears of each refusal, since a handler may swallow it.
 */
export function enforceTableAccess(
  client: DynamoDBClient,
  onDenied: (error: AccessDeniedException) => void,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const current = caller.getStore();
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const input = isRecord(args.input) ? args.input : {};
      const denied = current && deniedAccess(current.name, current.grants, tableRequests(operation, input));
      if (denied) {
        onDenied(denied);
        throw denied;
      }
      return next(args);
    },
    { step: 'build', name: 'npsloopLocalTableAccess', override: true },
  );
}
