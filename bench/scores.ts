import type { DynamoDBRecord } from 'aws-lambda';
import { readWholeOutbox } from '#local/outbox/outbox-page';
import type { Runtime } from '#local/runtime';
import type { ResponseItem } from '#shared/table/items';
import { responseItem, streamRecord } from '#test/fixtures/stream-record';
import { context } from '#test/fixtures/http-event';
import type { Figure } from './figures.ts';
import type { CampaignView } from '#shared/contract/campaigns';
import type { ScoreReport } from '#shared/contract/scores';

/**
 * Score-counting benchmarks on the real DynamoDB Local: write units per counted response at
 * batch sizes 1, 10 and 100 (exactly-once counter vs a naive ADD consumer in the same run),
 * the hottest aggregate item's writes, handler CPU per record, and answer → score and
 * detractor → alert latency through the whole local pipeline.
 */

const RESPONSES = 1_000;
const PLANS = ['free', 'pro', 'team'];
const REGIONS = ['eu', 'us'];

/** New answers from RESPONSES people to a campaign with two segment attributes. */
const answers = (campaignId: string, firstSequence: bigint): DynamoDBRecord[] =>
  Array.from({ length: RESPONSES }, (_, i) => {
    const item: ResponseItem = responseItem({
      PK: `INV#${campaignId}-${i}`,
      invitationId: `${campaignId}-${i}`,
      campaignId,
      score: (i * 7) % 11,
      segments: { plan: PLANS[i % 3] ?? 'free', region: REGIONS[i % 2] ?? 'eu' },
    });
    return streamRecord(String(firstSequence + BigInt(i) * 10n), undefined, item);
  });

/**
 * DynamoDB Local reports 2 units for any TransactWriteItems whatever its size, so units are
 * modelled from AWS's pricing instead: a transactional write costs 2 WCU per item per KB,
 * a standard write 1. Every item written here is under 1 KB.
 */
interface Meter {
  units: number;
  reported: number;
  writesByItem: Map<string, number>;
  on: boolean;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export async function scoreBenchmarks(runtime: Runtime): Promise<Figure[]> {
  const figures: Figure[] = [];
  // The runtime has pointed this process's env at the local services; the handler modules
  // are the same instances the runtime runs.
  const { handler } = await import('#functions/count-scores');
  const { dynamo } = await import('#shared/aws/clients');
  const { bucketsOf, campaignScope, slotted } = await import('#shared/core/aggregates');
  const { keys } = await import('#shared/table/items');
  const { category, countOf } = await import('#shared/core/nps');
  const { readScore } = await import('#shared/app/aggregates');
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');

  const meter: Meter = { units: 0, reported: 0, writesByItem: new Map(), on: false };
  dynamo.middlewareStack.add(
    (next, ctx) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const write = /^(TransactWriteItems|UpdateItem|PutItem|BatchWriteItem)Command$/.test(String(ctx.commandName));
      // Only the score counter's own writes (aggregates and checkpoints), not the rest of the pipeline.
      const scoreWrite = /"PK":"(AGG|STREAM)#/.test(JSON.stringify(input.TransactItems ?? input.Key ?? {}));
      if (!meter.on || !write || !scoreWrite) return next(args);
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const c of [consumed].flat() as ({ CapacityUnits?: number } | undefined)[]) meter.reported += c?.CapacityUnits ?? 0;
      const transactItems = input.TransactItems as unknown[] | undefined;
      meter.units += transactItems ? 2 * transactItems.length : 1;
      const items = (input.TransactItems as { Update?: { Key: Record<string, string> } }[] | undefined)?.map((t) => t.Update?.Key) ?? [
        input.Key as Record<string, string> | undefined,
      ];
      for (const key of items) if (key) meter.writesByItem.set(`${key.PK}|${key.SK}`, (meter.writesByItem.get(`${key.PK}|${key.SK}`) ?? 0) + 1);
      return result;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
  const measure = async (work: () => Promise<void>) => {
    meter.units = 0;
    meter.reported = 0;
    meter.writesByItem.clear();
    meter.on = true;
    const cpu = process.cpuUsage();
    await work();
    const used = process.cpuUsage(cpu);
    meter.on = false;
    const hottest = Math.max(0, ...meter.writesByItem.values());
    return { units: meter.units, reported: meter.reported, hottest, cpuMs: (used.user + used.system) / 1000 };
  };

  /** A naive consumer: one non-transactional ADD per aggregate item per record, no dedup. */
  const naive = async (records: readonly DynamoDBRecord[]) => {
    for (const record of records) {
      const { unmarshall } = await import('@aws-sdk/util-dynamodb');
      const item = unmarshall(record.dynamodb?.NewImage as never) as ResponseItem;
      const field = countOf(category(item.score));
      for (const { scope, bucket } of bucketsOf(item)) {
        await dynamo.send(
          new UpdateCommand({
            TableName: process.env.TABLE_NAME,
            Key: keys.aggregate(scope === 'ALL' ? 'ALL' : `C#naive-${item.campaignId}`, slotted(bucket, 0)),
            UpdateExpression: 'ADD #f :one',
            ExpressionAttributeNames: { '#f': field },
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      }
    }
  };

  let sequence = 10n ** 24n;
  for (const batchSize of [1, 10, 100]) {
    const campaignId = `bench${batchSize}x${Date.now().toString(36)}`;
    const records = answers(campaignId, sequence);
    sequence += 10n ** 6n;
    const shardId = `bench-shard-${campaignId}`;
    const batches = Array.from({ length: RESPONSES / batchSize }, (_, i) => records.slice(i * batchSize, (i + 1) * batchSize));

    const exact = await measure(async () => {
      for (const batch of batches) await handler({ Records: batch, shardId }, context);
    });
    // Redeliver every 10th batch, as a retry would: the exact counter must not move.
    const replay = batches.filter((_, i) => i % 10 === 0);
    await measure(async () => {
      for (const batch of replay) await handler({ Records: batch, shardId }, context);
    });
    const exactTotal = await readScore(campaignScope(campaignId), {});

    const baseline = await measure(async () => {
      for (const batch of batches) await naive(batch);
    });
    await naive(replay.flat());
    const naiveTotal = await readScore(campaignScope(`naive-${campaignId}`), {});

    figures.push(
      { name: `wcu per counted response, exactly-once, batch ${batchSize}`, value: exact.units / RESPONSES, unit: 'WCU' },
      { name: `wcu per counted response, naive ADD, batch ${batchSize}`, value: baseline.units / RESPONSES, unit: 'WCU' },
      {
        name: `capacity units per counted response as DynamoDB Local reports them, exactly-once, batch ${batchSize}`,
        value: exact.reported / RESPONSES,
        unit: 'CU (Local under-reports transactions)',
      },
      { name: `hottest aggregate item writes per 1000 answers, exactly-once, batch ${batchSize}`, value: exact.hottest, unit: 'writes' },
      { name: `hottest aggregate item writes per 1000 answers, naive ADD, batch ${batchSize}`, value: baseline.hottest, unit: 'writes' },
      { name: `stream handler cpu per record, batch ${batchSize}`, value: exact.cpuMs / RESPONSES, unit: 'ms' },
      { name: `counted after replaying 10% of batches, exactly-once, batch ${batchSize}`, value: exactTotal.responses, unit: `of ${RESPONSES}` },
      { name: `counted after replaying 10% of batches, naive ADD, batch ${batchSize}`, value: naiveTotal.responses, unit: `of ${RESPONSES}` },
    );
  }

  figures.push(...(await latency(runtime)));
  return figures;
}

/** Answer → score and detractor → alert, through HTTP and every queue and stream of the local pipeline. */
async function latency(runtime: Runtime): Promise<Figure[]> {
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  const poll = async (probe: () => Promise<boolean>) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('latency probe timed out');
  };
  const SAMPLES = 20;
  const { id } = await api<CampaignView>('POST', '/v1/campaigns', { name: 'latency', brand: 'Bench', channel: 'email' });
  const emails = Array.from({ length: SAMPLES }, (_, i) => `latency${i}.${id.toLowerCase()}@example.com`);
  await api('POST', `/v1/campaigns/${id}/recipients`, { recipients: emails.map((email) => ({ email })) });
  const tokens = new Map<string, string>();
  await poll(async () => {
    for (const email of emails.filter((e) => !tokens.has(e))) {
      const [mail] = await readWholeOutbox<{ html: string }>(`${runtime.url}/local/outbox/email`, { to: email });
      const token = /\/s\/([^?"]+)\?score=/.exec(mail?.html ?? '')?.[1];
      if (token) tokens.set(email, token);
    }
    return tokens.size === SAMPLES;
  });
  const alertsOfCampaign = async () => (await readWholeOutbox(`${runtime.url}/local/outbox/alerts`, { campaignId: id })).length;
  const toScore: number[] = [];
  const toAlert: number[] = [];
  let answered = 0;
  for (const email of emails) {
    const detractor = answered % 2 === 0;
    const alertsBefore = await alertsOfCampaign();
    const start = performance.now();
    await api('POST', `/s/${tokens.get(email)}`, { score: detractor ? 2 : 9 });
    answered += 1;
    await poll(async () => (await api<ScoreReport>('GET', `/v1/campaigns/${id}/score`)).responses === answered);
    toScore.push(performance.now() - start);
    if (detractor) {
      await poll(async () => (await alertsOfCampaign()) > alertsBefore);
      toAlert.push(performance.now() - start);
    }
  }
  return [
    { name: 'answer to score latency p50 (local pipeline)', value: percentile(toScore, 50), unit: 'ms' },
    { name: 'answer to score latency p95 (local pipeline)', value: percentile(toScore, 95), unit: 'ms' },
    { name: 'detractor to alert latency p50 (local pipeline)', value: percentile(toAlert, 50), unit: 'ms' },
    { name: 'detractor to alert latency p95 (local pipeline)', value: percentile(toAlert, 95), unit: 'ms' },
  ];
}
