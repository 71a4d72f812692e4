import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Figure } from './figures.ts';
import type { CampaignView } from '#shared/contract/campaigns';

/**
 * Import rate for new addresses: RECIPIENTS addresses never seen before go into one campaign
 * through the API, 1,000 to a request one after another as the CLI sends a CSV, and are held
 * for a week (so no sending competes). Against it, the raw ceiling of the same DynamoDB Local:
 * BatchWriteItem of as many items as the import writes per recipient (invitation, contact's
 * throttle stamp), four requests in flight; and the ceiling of the import's own call shape, a
 * conditioned PutItem per item with as many in flight as the import keeps (DynamoDB Local takes
 * conditioned writes one item at a time, far slower than a batch).
 */
const RECIPIENTS = 10_000;
const PER_REQUEST = 1_000;
const ITEMS_PER_RECIPIENT = 2;
const RAW_LANES = 4;
/** As many single-item writes in flight as the import keeps (shared/app/invitations.ts). */
const SINGLE_LANES = 32;
/** Items in the single-item sample: enough for a steady rate, few enough to take a minute at most. */
const SINGLE_ITEMS = 4_000;

export async function importBenchmark(runtime: { url: string; apiKey: string; env: Readonly<Record<string, string>> }): Promise<Figure[]> {
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.apiKey}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
    return (await res.json()) as T;
  };
  const sendAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const { id } = await api<CampaignView>('POST', '/v1/campaigns', { name: 'import', brand: 'Bench', channel: 'email', sendAt });
  let accepted = 0;
  const started = performance.now();
  for (let from = 0; from < RECIPIENTS; from += PER_REQUEST) {
    const recipients = Array.from({ length: PER_REQUEST }, (_, i) => ({ email: `import${from + i}.${id.toLowerCase()}@example.com`, name: 'Ann Example' }));
    accepted += (await api<{ accepted: number }>('POST', `/v1/campaigns/${id}/recipients`, { recipients })).accepted;
  }
  const importSeconds = (performance.now() - started) / 1000;
  if (accepted !== RECIPIENTS) throw new Error(`import accepted ${accepted} of ${RECIPIENTS}`);

  const table = runtime.env.TABLE_NAME ?? 'npsloop';
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: runtime.env.AWS_ENDPOINT_URL_DYNAMODB, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  const items = RECIPIENTS * ITEMS_PER_RECIPIENT;
  const rawStarted = performance.now();
  let next = 0;
  const take = () => {
    const from = next;
    next += 25;
    return from;
  };
  await Promise.all(
    Array.from({ length: RAW_LANES }, async () => {
      for (let from = take(); from < items; from = take()) {
        let pending: Record<string, unknown>[] = Array.from({ length: Math.min(25, items - from) }, (_, i) => ({
          PutRequest: { Item: { PK: `RAW#${id}#${from + i}`, SK: 'RAW', email: `raw${from + i}@example.com`, createdAt: new Date().toISOString() } },
        }));
        while (pending.length > 0) {
          const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined) ?? [];
        }
      }
    }),
  );
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  const singleStarted = performance.now();
  let nextSingle = 0;
  await Promise.all(
    Array.from({ length: SINGLE_LANES }, async () => {
      for (let i = nextSingle++; i < SINGLE_ITEMS; i = nextSingle++) {
        const Item = { PK: `ONE#${id}#${i}`, SK: 'ONE', email: `one${i}@example.com`, createdAt: new Date().toISOString() };
        await client.send(new PutCommand({ TableName: table, Item, ConditionExpression: 'attribute_not_exists(PK)' }));
      }
    }),
  );
  const singleSeconds = (performance.now() - singleStarted) / 1000;
  client.destroy();
  const rate = RECIPIENTS / importSeconds;
  const rawRate = items / ITEMS_PER_RECIPIENT / rawSeconds;
  return [
    { name: `import of ${RECIPIENTS.toLocaleString('en-US')} new addresses through the API`, value: rate, unit: 'recipients/s' },
    { name: `raw BatchWriteItem ceiling of DynamoDB Local (${RAW_LANES} in flight)`, value: items / rawSeconds, unit: 'items/s' },
    { name: `the same ceiling in recipients (${ITEMS_PER_RECIPIENT} items each)`, value: rawRate, unit: 'recipients/s' },
    { name: 'import share of the raw ceiling', value: (100 * rate) / rawRate, unit: '%' },
    { name: `conditioned PutItem ceiling of DynamoDB Local (${SINGLE_LANES} in flight)`, value: SINGLE_ITEMS / singleSeconds, unit: 'items/s' },
    { name: "import share of its own call shape's ceiling (conditioned single-item writes)", value: (100 * rate * ITEMS_PER_RECIPIENT * singleSeconds) / SINGLE_ITEMS, unit: '%' },
  ];
}
