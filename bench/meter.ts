import type { Context } from 'aws-lambda';
import type { HandlerLoader, LambdaHandler } from '#local/lambda/local-function';

/**
 * What the handlers spend, stage by stage, for the scale benchmark: DynamoDB write and read
 * units, the write units each partition receives (the table's and each index's, by partition
 * key), SQS, SNS and SES calls, and each function's invocations and run time.
 *
 * Write units follow DynamoDB's rules from the items' sizes: 1 per KB written (the larger of the
 * item before and after), twice that in a transaction, and 1 per KB again on each index the item
 * is in (every index projects ALL). An update's size after is estimated from what it sets.
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
  /** Write units by table item, `TABLE PK|SK`: one item never takes more than a partition's 1,000/s. */
  items: Map<string, number>;
}

const emptyUsage = (): Usage => ({
  writeUnits: 0,
  readUnits: 0,
  sqsRequests: 0,
  snsPublishes: 0,
  emails: 0,
  functions: new Map(),
  partitions: new Map(),
  items: new Map(),
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


type Item = Record<string, unknown>;
type Index = (typeof INDEXES)[number];

const ATTRIBUTE_VALUE = /^(S|N|B|BOOL|NULL|M|L|SS|NS|BS)$/;
/** A marshalled value (`{ S: 'x' }`) as the base client sends it, else undefined. */
const marshalled = (value: object): [string, unknown] | undefined => {
  const entries = Object.entries(value);
  return entries.length === 1 && ATTRIBUTE_VALUE.test(entries[0]?.[0] ?? '') ? entries[0] : undefined;
};

/** Bytes DynamoDB counts for a value (names and values in UTF-8; numbers about one byte per two digits). */
const sizeOf = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return Math.ceil(String(value).length / 2) + 1;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + sizeOf(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + sizeOf(v), 0);
  if (typeof value === 'object') {
    const m = marshalled(value);
    if (m) return m[0] === 'N' ? Math.ceil(String(m[1]).length / 2) + 1 : sizeOf(m[1]);
    return 3 + Object.entries(value).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + sizeOf(v), 0);
  }
  return 1;
};
const itemBytes = (item: Item) => Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + sizeOf(v), 0);
const unitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** A key attribute's text, from a document-client value or a marshalled `{ S }` one. */
const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value && typeof value.S === 'string') return value.S;
  return undefined;
};

interface Stored {
  readonly units: number;
  readonly indexKeys: Partial<Record<Index, string>>;
}
interface Written extends Stored {
  readonly pk: string;
  readonly itemKey: string;
  /** A put or update leaves the item; a delete removes it. */
  readonly remains: boolean;
}

/** Each item's size (in write units) and index keys as last written, so an update or delete is charged for it. */
const stored = new Map<string, Stored>();

const keyOf = (key: Item) => {
  const pk = text(key.PK) ?? '?';
  return { pk, itemKey: `${pk}|${text(key.SK) ?? ''}` };
};

const fromPut = (item: Item): Written => {
  const indexKeys: Stored['indexKeys'] = {};
  for (const index of INDEXES) {
    const key = text(item[`${index}PK`]);
    if (key) indexKeys[index] = key;
  }
  return { ...keyOf(item), units: unitsOf(itemBytes(item)), indexKeys, remains: true };
};

/** An update is charged the larger of the item before and after: here, as last written, or the key and values it sets. */
const fromUpdate = (key: Item, expression: unknown, values: unknown): Written => {
  const { pk, itemKey } = keyOf(key);
  const before = stored.get(itemKey);
  const indexKeys: Stored['indexKeys'] = { ...before?.indexKeys };
  if (typeof expression === 'string') {
    for (const index of INDEXES) {
      if (new RegExp(`REMOVE[^=]*\\b${index}PK\\b`).test(expression)) delete indexKeys[index];
      const set = new RegExp(`${index}PK\\s*=\\s*(:\\w+)`).exec(expression)?.[1];
      const value = set ? text((values as Item | undefined)?.[set]) : undefined;
      if (value) indexKeys[index] = value;
    }
  }
  const units = Math.max(before?.units ?? 1, unitsOf(itemBytes(key) + (values && typeof values === 'object' ? itemBytes(values as Item) : 0)));
  return { pk, itemKey, units, indexKeys, remains: true };
};

const fromDelete = (key: Item): Written => {
  const { pk, itemKey } = keyOf(key);
  const before = stored.get(itemKey);
  return { pk, itemKey, units: before?.units ?? 1, indexKeys: before?.indexKeys ?? {}, remains: false };
};

/** The items a write touches, and whether it is transactional (twice the units on the table). */
const writesOf = (command: string, input: Item): { items: Written[]; transactional: boolean } => {
  switch (command) {
    case 'PutItemCommand':
      return { items: [fromPut(input.Item as Item)], transactional: false };
    case 'UpdateItemCommand':
      return { items: [fromUpdate(input.Key as Item, input.UpdateExpression, input.ExpressionAttributeValues)], transactional: false };
    case 'DeleteItemCommand':
      return { items: [fromDelete(input.Key as Item)], transactional: false };
    case 'TransactWriteItemsCommand':
      return {
        items: ((input.TransactItems as Item[] | undefined) ?? []).map((t) => {
          if (t.Put) return fromPut((t.Put as Item).Item as Item);
          if (t.Update) return fromUpdate((t.Update as Item).Key as Item, (t.Update as Item).UpdateExpression, (t.Update as Item).ExpressionAttributeValues);
          if (t.Delete) return fromDelete((t.Delete as Item).Key as Item);
          // A condition check is charged like a write and changes nothing.
          const checked = fromDelete((t.ConditionCheck as Item).Key as Item);
          return { ...checked, indexKeys: {}, remains: stored.has(checked.itemKey) };
        }),
        transactional: true,
      };
    case 'BatchWriteItemCommand':
      return {
        items: Object.values((input.RequestItems as Record<string, Item[]> | undefined) ?? {})
          .flat()
          .map((r) => (r.PutRequest ? fromPut((r.PutRequest as Item).Item as Item) : fromDelete((r.DeleteRequest as Item).Key as Item))),
        transactional: false,
      };
    default:
      return { items: [], transactional: false };
  }
};

const add = (map: Map<string, number>, key: string, units: number) => map.set(key, (map.get(key) ?? 0) + units);

const WRITES = /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)Command$/;

/**
 * Meters every call of the handlers' SDK clients (this process's module instances). Read units
 * are DynamoDB Local's own (ReturnConsumedCapacity); write units are worked out here from item
 * sizes, because DynamoDB Local reports a whole transaction as if it were one or two items.
 */
export async function instrumentClients(): Promise<void> {
  const clients = await import('#shared/aws/clients');
  // The document client shares its base client's middleware stack: this sees its commands too,
  // with plain values or marshalled ones (both are read).
  clients.dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const input = args.input as Item;
      if (!WRITES.test(command)) {
        input.ReturnConsumedCapacity ??= 'TOTAL';
        const result = await next(args);
        usage.readUnits += capacitiesOf(result.output as unknown as Item).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
        return result;
      }
      const result = await next(args);
      const { items, transactional } = writesOf(command, input);
      for (const w of items) {
        const units = w.units * (transactional ? 2 : 1);
        usage.writeUnits += units;
        add(usage.partitions, `TABLE ${w.pk}`, units);
        add(usage.items, `TABLE ${w.itemKey}`, units);
        for (const [index, key] of Object.entries(w.indexKeys)) {
          usage.writeUnits += w.units;
          add(usage.partitions, `${index} ${key}`, w.units);
        }
        if (w.remains) stored.set(w.itemKey, { units: w.units, indexKeys: w.indexKeys });
        else stored.delete(w.itemKey);
      }
      return result;
    },
    { step: 'initialize', name: 'scaleMeter' },
  );
  clients.sqs.middlewareStack.add(
    (next) => async (args) => {
      usage.sqsRequests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'scaleMeter' },
  );
  clients.sns.middlewareStack.add(
    (next) => async (args) => {
      usage.snsPublishes += 1;
      return next(args);
    },
    { step: 'initialize', name: 'scaleMeter' },
  );
  clients.ses.middlewareStack.add(
    (next) => async (args) => {
      usage.emails += 1;
      return next(args);
    },
    { step: 'initialize', name: 'scaleMeter' },
  );
}

interface Capacity {
  CapacityUnits?: number;
}

const capacitiesOf = (output: Item): Capacity[] => {
  const c = output.ConsumedCapacity as Capacity | Capacity[] | undefined;
  return c === undefined ? [] : Array.isArray(c) ? c : [c];
};

/**
 * A partition key's family: its ids, hashes, times and shard numbers replaced by placeholders,
 * e.g. `TABLE DUE#{minute}#{n}` or `GSI1 CAMPAIGN#{id}#RESP`.
 */
export const familyOf = (key: string): string => key.split('|').map(familyOfPart).join('|');

const familyOfPart = (key: string): string =>
  key
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

/** The busiest partition (or item) of each family: its write units. */
export const hottestByFamily = (written: ReadonlyMap<string, number>): Map<string, { key: string; units: number }> => {
  const hottest = new Map<string, { key: string; units: number }>();
  for (const [key, units] of written) {
    const family = familyOf(key);
    if ((hottest.get(family)?.units ?? -1) < units) hottest.set(family, { key, units });
  }
  return hottest;
};
