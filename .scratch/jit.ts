import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/services/dynamodb-local.ts';
import { provisionTable } from '../local/provision.ts';
const db = await startDynamoDbLocal({ info: () => {}, error: (l) => console.error(l) });
await db.ready;
try {
const raw = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
await provisionTable(raw, 'npsloop');
const c = DynamoDBDocumentClient.from(raw);
const N = 3000; let tag = 0;
const pool = async (lanes: number, jobs: number, job: (i: number) => Promise<unknown>) => {
  let next = 0; const t = performance.now();
  await Promise.all(Array.from({ length: lanes }, async () => { for (let i = next++; i < jobs; i = next++) await job(i); }));
  return (performance.now() - t) / 1000;
};
const item = (p: string, i: number) => ({ PK: `${p}#${i}`, SK: 'INV', email: `a${i}@example.com`, name: 'Ann Example', status: 'queued', createdAt: new Date().toISOString(), campaignId: '01M8SW22JH3D9CJD017C6MKFKR' });
for (const round of [1, 2, 3]) {
  let p = `P${tag++}`;
  let s = await pool(32, N, (i) => c.send(new PutCommand({ TableName: 'npsloop', Item: item(p, i), ConditionExpression: 'attribute_not_exists(PK)' })));
  console.log(`${process.argv[2]} round ${round} conditioned PutItem x32: ${(N / s).toFixed(0)} items/s`);
  p = `T${tag++}`;
  s = await pool(4, N / 100, (j) => c.send(new TransactWriteCommand({ TransactItems: Array.from({ length: 100 }, (_, k) => ({ Put: { TableName: 'npsloop', Item: item(p, j * 100 + k), ConditionExpression: 'attribute_not_exists(PK)' } })) })));
  console.log(`${process.argv[2]} round ${round} TransactWriteItems x100 x4: ${(N / s).toFixed(0)} items/s`);
}
c.destroy();
} finally { await db.stop(); }
