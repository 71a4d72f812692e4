import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchExecuteStatementCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/services/dynamodb-local.ts';
import { provisionTable } from '../local/provision.ts';

const db = await startDynamoDbLocal({ info: () => {}, error: (l) => console.error(l) });
await db.ready;
try {
const raw = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
await provisionTable(raw, 'npsloop');
const c = DynamoDBDocumentClient.from(raw);
// semantics
const out = await c.send(new BatchExecuteStatementCommand({ Statements: [
  { Statement: 'UPDATE "npsloop" SET lastSurveyedAt = ? SET lastInvitationId = ? WHERE PK = ? AND SK = ? AND (attribute_not_exists(lastSurveyedAt) OR lastSurveyedAt < ? OR lastInvitationId = ?)', Parameters: ['2026', 'i1', 'CONTACT#missing', 'CONTACT', '2025', 'i1'] },
  { Statement: "INSERT INTO \"npsloop\" VALUE {'PK': ?, 'SK': ?, 'a': ?}", Parameters: ['INV#1', 'INV', { x: 1 }] },
]}));
const dup = await c.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: "INSERT INTO \"npsloop\" VALUE {'PK': ?, 'SK': ?, 'a': ?}", Parameters: ['INV#1', 'INV', { x: 2 }] }] }));
console.log(JSON.stringify(dup.Responses));
console.log(JSON.stringify(out.Responses));
const N = 4000; let tag = 0;
const pool = async (lanes: number, jobs: number, job: (i: number) => Promise<unknown>) => {
  let next = 0; const t = performance.now();
  await Promise.all(Array.from({ length: lanes }, async () => { for (let i = next++; i < jobs; i = next++) await job(i); }));
  return (performance.now() - t) / 1000;
};
const item = (p: string, i: number) => ({ PK: `${p}#${i}`, SK: 'INV', email: `a${i}@example.com`, name: 'Ann Example', status: 'queued', createdAt: new Date().toISOString(), campaignId: '01M8SW22JH3D9CJD017C6MKFKR' });
for (const round of [1, 2]) {
  for (const lanes of [4, 8]) {
    const p = `X${tag++}`;
    const s = await pool(lanes, N / 25, (j) => c.send(new BatchExecuteStatementCommand({ Statements: Array.from({ length: 25 }, (_, k) => { const it = item(p, j * 25 + k); return { Statement: `INSERT INTO "npsloop" VALUE {${Object.keys(it).map((n) => `'${n}': ?`).join(', ')}}`, Parameters: Object.values(it) }; }) })));
    const chk = await c.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT PK FROM "npsloop" WHERE PK = ? AND SK = ?`, Parameters: [`${p}#7`, 'INV'] }] })); if (!chk.Responses?.[0]?.Item) console.log('NOT WRITTEN', JSON.stringify(chk.Responses));
    console.log(`round ${round} BatchExecuteStatement INSERT x25, ${lanes} in flight: ${(N / s).toFixed(0)} items/s`);
  }
  const p = `P${tag++}`;
  const s = await pool(32, N, (i) => c.send(new PutCommand({ TableName: 'npsloop', Item: item(p, i), ConditionExpression: 'attribute_not_exists(PK)' })));
  console.log(`round ${round} conditioned PutItem, 32 in flight: ${(N / s).toFixed(0)} items/s`);
}
c.destroy();
} finally { await db.stop(); }
