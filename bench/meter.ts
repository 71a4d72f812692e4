import type { Context } from 'aws-lambda';
import type { HandlerLoader, LambdaHandler } from '#local/lambda/local-function';

/**
 * What the handlers spend, stage by stage, for the scale benchmark: DynamoDB capacity units as
 * DynamoDB Local reports them (every call of the handlers' client asks for ReturnConsumedCapacity
 * INDEXES, so units follow item size, transactions count double and each index's writes show),
 * the write units each partition key receives (table and index partitions), SQS, SNS and SES calls,
 * and each function's invocations and run time.
 *
 * A transaction or batch reports its units as one figure; they are shared out evenly over the
 * items it writes (and an index's units over the items that carry that index's key). That is
 * close for the batches here, whose items are alike, and only approximate for transactions.
 */

export interface FunctionUsage {
  invocations: number;
  ms: number;
}

export interface Usage {
  writeUnits: number;
  readUnits: number;
  sqsRequests: number;
  snsPublishes: number;
  emails: number;
  functions: Map<string, FunctionUsage>;
  /** Write units by partition: `TABLE PK` or `GSI1 GSI1PK`. */
  partitions: Map<string, number>;
}

const emptyUsage = (): Usage => ({
  writeUnits: 0,
  readUnits: 0,
  sqsRequests: 0,
  snsPublishes: 0,
  emails: 0,
  functions: new Map(),
  partitions: new Map(),
});

let usage = emptyUsage();

/** The usage since the last call, and a fresh start for the next stage. */
export const takeUsage = (): Usage => {
  const taken = usage;
  usage = emptyUsage();
  return taken;
};

export const meteringLoader =
  (load: HandlerLoader): HandlerLoader =>
  async (name, declaration) => {
    const handler = (await load(name, declaration)) as (event: unknown, context: Context) => unknown;
    const metered = async (event: unknown, context: Context) => {
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        const f = usage.functions.get(name) ?? { invocations: 0, ms: 0 };
        f.invocations += 1;
        f.ms += performance.now() - started;
        usage.functions.set(name, f);
      }
    };
    return metered as LambdaHandler;
  };

const INDEXES = ['GSI1', 'GSI2', 'GSI3'] as const;

/** A key attribute's text, from a document-client value or a marshalled `{ S }` one. */
const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value && typeof value.S === 'string') return value.S;
  return undefined;
};

type Item = Record<string, unknown>;
interface Written {
  readonly pk: string;
  readonly itemKey: string;
  /** Index partition keys the write sets; undefined: unknown, use what the item had. */
  readonly indexKeys: Partial<Record<(typeof INDEXES)[number], string>>;
}

/** The index keys each item was last written with, so an update or delete can be charged to them. */
const indexKeysOf = new Map<string, Written['indexKeys']>();

const fromItem = (item: Item): Written => {
  const pk = text(item.PK) ?? '?';
  const indexKeys: Written['indexKeys'] = {};
  for (const index of INDEXES) {
    const key = text(item[`${index}PK`]);
    if (key) indexKeys[index] = key;
  }
  return { pk, itemKey: `${pk}|${text(item.SK) ?? ''}`, indexKeys };
};

const fromUpdate = (key: Item, expression: unknown, values: unknown): Written => {
  const { pk, itemKey } = fromItem(key);
  const indexKeys: Written['indexKeys'] = { ...indexKeysOf.get(itemKey) };
  if (typeof expression === 'string') {
    for (const index of INDEXES) {
      const set = new RegExp(`${index}PK\\s*=\\s*(:\\w+)`).exec(expression)?.[1];
      const value = set ? text((values as Item | undefined)?.[set]) : undefined;
      if (value) indexKeys[index] = value;
    }
  }
  return { pk, itemKey, indexKeys };
};

const writesOf = (command: string, input: Item): Written[] => {
  switch (command) {
    case 'PutItemCommand':
    case 'PutCommand':
      return [fromItem(input.Item as Item)];
    case 'UpdateItemCommand':
    case 'UpdateCommand':
      return [fromUpdate(input.Key as Item, input.UpdateExpression, input.ExpressionAttributeValues)];
    case 'DeleteItemCommand':
    case 'DeleteCommand':
      return [fromUpdate(input.Key as Item, undefined, undefined)];
    case 'TransactWriteItemsCommand':
    case 'TransactWriteCommand':
      return ((input.TransactItems as Item[] | undefined) ?? []).map((t) => {
        const op = (t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck) as Item;
        if (t.Put) return fromItem(op.Item as Item);
        return fromUpdate(op.Key as Item, t.Update ? op.UpdateExpression : undefined, op.ExpressionAttributeValues);
      });
    case 'BatchWriteItemCommand':
    case 'BatchWriteCommand':
      return Object.values((input.RequestItems as Record<string, Item[]> | undefined) ?? {})
        .flat()
        .map((r) => ((r.PutRequest as Item | undefined) ? fromItem((r.PutRequest as Item).Item as Item) : fromUpdate((r.DeleteRequest as Item).Key as Item, undefined, undefined)));
    default:
      return [];
  }
};

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const capacitiesOf = (output: Item): Capacity[] => {
  const c = output.ConsumedCapacity as Capacity | Capacity[] | undefined;
  return c === undefined ? [] : Array.isArray(c) ? c : [c];
};

const add = (map: Map<string, number>, key: string, units: number) => map.set(key, (map.get(key) ?? 0) + units);

const WRITES = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;

/** Meters every call of the handlers' SDK clients (this process's module instances). */
export async function instrumentClients(): Promise<void> {
  const clients = await import('#shared/aws/clients');
  // The document client shares its base client's middleware stack, so this sees both.
  clients.dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Item;
      input.ReturnConsumedCapacity ??= 'INDEXES';
      const result = await next(args);
      const command = String(context.commandName);
      const capacities = capacitiesOf(result.output as unknown as Item);
      const total = capacities.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      if (!WRITES.test(command)) {
        usage.readUnits += total;
        return result;
      }
      usage.writeUnits += total;
      const written = writesOf(command, input);
      if (written.length === 0) return result;
      const tableUnits = capacities.reduce((n, c) => n + (c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0), 0);
      for (const w of written) {
        add(usage.partitions, `TABLE ${w.pk}`, tableUnits / written.length);
        if (!command.startsWith('Delete') && !command.startsWith('BatchWrite')) indexKeysOf.set(w.itemKey, w.indexKeys);
      }
      for (const index of INDEXES) {
        const units = capacities.reduce((n, c) => n + (c.GlobalSecondaryIndexes?.[index]?.CapacityUnits ?? 0), 0);
        const carrying = written.filter((w) => w.indexKeys[index] !== undefined);
        for (const w of carrying) add(usage.partitions, `${index} ${w.indexKeys[index] ?? ''}`, units / carrying.length);
      }
      return result;
    },
    { step: 'initialize', name: 'scaleMeter' },
  );
  const counter = (field: 'sqsRequests' | 'snsPublishes' | 'emails') => ({
    middleware: (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      usage[field] += 1;
      return next(args);
    },
  });
  clients.sqs.middlewareStack.add(counter('sqsRequests').middleware as never, { step: 'initialize', name: 'scaleMeter' });
  clients.sns.middlewareStack.add(counter('snsPublishes').middleware as never, { step: 'initialize', name: 'scaleMeter' });
  clients.ses.middlewareStack.add(counter('emails').middleware as never, { step: 'initialize', name: 'scaleMeter' });
}

/**
 * A partition key's family: its ids, hashes, times and shard numbers replaced by placeholders,
 * e.g. `TABLE DUE#{minute}#{n}` or `GSI1 CAMPAIGN#{id}#RESP`.
 */
export const familyOf = (partition: string): string =>
  partition
    .split('#')
    .map((part) => {
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(part)) return '{minute}';
      if (/^\d{4}-\d{2}-\d{2}$/.test(part)) return '{day}';
      if (/^\d+$/.test(part)) return '{n}';
      if (/^C$/.test(part)) return part;
      if (part.length >= 16 && !part.includes(' ')) return '{id}';
      return part;
    })
    .join('#');

/** The busiest partition of each family: its write units. */
export const hottestByFamily = (partitions: ReadonlyMap<string, number>): Map<string, { partition: string; units: number }> => {
  const hottest = new Map<string, { partition: string; units: number }>();
  for (const [partition, units] of partitions) {
    const family = familyOf(partition);
    if ((hottest.get(family)?.units ?? -1) < units) hottest.set(family, { partition, units });
  }
  return hottest;
};
