import type { Context } from 'aws-lambda';
import type { HandlerLoader, LambdaHandler } from '#local/lambda/local-function';
import { readWholeOutbox } from '#local/outbox/outbox-page';
import type { Figure } from './figures.ts';
import type { CampaignView, CampaignWithCounts } from '#shared/contract/campaigns';
import type { FollowupPage } from '#shared/contract/followups';
import type { ScoreReport } from '#shared/contract/scores';

/**
 * Modelled AWS cost per 1,000 e-mail invitations: the whole local pipeline runs a campaign of
 * INVITATIONS recipients, a third of whom answer (a fifth of those as detractors), while every
 * AWS call the handlers make and every Lambda invocation is counted. The counts are priced at
 * AWS list prices (us-east-1, on-demand, arm64). Fixed monthly costs (the per-minute releaser,
 * KMS keys, Secrets Manager, alarms) are not per invitation and are left out.
 */
const INVITATIONS = 1_000;
const ANSWER_RATE = 1 / 3;
const DETRACTOR_SHARE = 1 / 5;

const PRICE = {
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  snsPublish: 0.5 / 1e6,
  sesEmail: 0.1 / 1e3,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  httpApiRequest: 1.0 / 1e6,
};

interface Usage {
  dynamoWriteUnits: number;
  dynamoReadUnits: number;
  sqsRequests: number;
  snsPublishes: number;
  emails: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  httpRequests: number;
}

const usage: Usage = {
  dynamoWriteUnits: 0,
  dynamoReadUnits: 0,
  sqsRequests: 0,
  snsPublishes: 0,
  emails: 0,
  lambdaInvocations: 0,
  lambdaGbSeconds: 0,
  httpRequests: 0,
};
let counting = false;

/** Wraps each handler so its invocations and billed GB-seconds (1 ms granularity) are counted. */
export const countingLoader =
  (load: HandlerLoader): HandlerLoader =>
  async (name, declaration) => {
    const handler = (await load(name, declaration)) as (event: unknown, context: Context) => unknown;
    const counted = async (event: unknown, context: Context) => {
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        // The releaser and the escalator run on a clock, not per invitation.
        if (counting && declaration.source.kind !== 'schedule') {
          usage.lambdaInvocations += 1;
          usage.lambdaGbSeconds += (Math.ceil(performance.now() - started) / 1000) * (declaration.memoryMB / 1024);
        }
      }
    };
    return counted as LambdaHandler;
  };

const countWrite = (command: string, input: Record<string, unknown>) => {
  if (command === 'TransactWriteItemsCommand') return 2 * ((input.TransactItems as unknown[] | undefined)?.length ?? 0);
  if (command === 'BatchWriteItemCommand') {
    return Object.values((input.RequestItems as Record<string, unknown[]> | undefined) ?? {}).reduce((n, list) => n + list.length, 0);
  }
  return ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].includes(command) ? 1 : 0;
};

const countRead = (command: string, input: Record<string, unknown>, output: Record<string, unknown>) => {
  const strong = input.ConsistentRead === true ? 1 : 0.5;
  if (command === 'GetItemCommand') return strong;
  if (command === 'QueryCommand') return Math.max(0.5, Math.ceil(((output.Items as unknown[] | undefined)?.length ?? 0) / 20) * strong);
  if (command === 'BatchGetItemCommand') {
    const asked = Object.values((input.RequestItems as Record<string, { Keys: unknown[] }> | undefined) ?? {});
    return asked.reduce((n, t) => n + t.Keys.length * 0.5, 0);
  }
  return 0;
};

// With COST_BREAKDOWN=1 the benchmark also prints its DynamoDB units by call shape (command and
// the key prefixes it touches), largest first: where the units per invitation come from.
const breakdown = new Map<string, { w: number; r: number; n: number }>();
const shapeOfKey = (k: unknown) => {
  const key = (k ?? {}) as { PK?: string; SK?: string };
  return `${String(key.PK ?? '?').split('#')[0]}/${String(key.SK ?? '?').split('#')[0]}`;
};
const callShape = (input: Record<string, unknown>): string => {
  const items = input.TransactItems as Record<string, { Key?: unknown; Item?: unknown }>[] | undefined;
  if (items) return [...new Set(items.map((t) => Object.entries(t).map(([op, v]) => `${op}:${shapeOfKey(v.Key ?? v.Item)}`)[0]))].join(',');
  if (input.RequestItems) {
    type Request = { Keys?: unknown[]; PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } };
    const [first] = Object.values(input.RequestItems as Record<string, Request[] | Request>).flat();
    return `batch ${shapeOfKey(first?.Keys?.[0] ?? first?.PutRequest?.Item ?? first?.DeleteRequest?.Key)}`;
  }
  return shapeOfKey(input.Key ?? input.Item) + (input.IndexName ? ` ${String(input.IndexName)}` : '') + (input.KeyConditionExpression ? ' query' : '');
};
export const printBreakdown = () => {
  for (const [label, b] of [...breakdown].sort((a, b) => b[1].w - a[1].w)) console.log(`${b.w.toFixed(0).padStart(6)} W ${b.r.toFixed(0).padStart(6)} R ${String(b.n).padStart(6)}x ${label}`);
};

/** Counts every call the handlers' SDK clients make (they are this process's module instances). */
const instrument = async () => {
  const clients = await import('#shared/aws/clients');
  clients.dynamo.middlewareStack.add(
    (next, ctx) => async (args) => {
      const result = await next(args);
      if (counting) {
        const command = String(ctx.commandName);
        const input = args.input as Record<string, unknown>;
        const w = countWrite(command, input);
        const r = countRead(command, input, result.output as Record<string, unknown>);
        usage.dynamoWriteUnits += w;
        usage.dynamoReadUnits += r;
        if (process.env.COST_BREAKDOWN) {
          const label = `${command} ${callShape(input)}`;
          const b = breakdown.get(label) ?? { w: 0, r: 0, n: 0 };
          breakdown.set(label, { w: b.w + w, r: b.r + r, n: b.n + 1 });
        }
      }
      return result;
    },
    { step: 'initialize', name: 'costMeter' },
  );
  clients.sqs.middlewareStack.add(
    (next) => async (args) => {
      if (counting) usage.sqsRequests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'costMeter' },
  );
  clients.sns.middlewareStack.add(
    (next) => async (args) => {
      if (counting) usage.snsPublishes += 1;
      return next(args);
    },
    { step: 'initialize', name: 'costMeter' },
  );
  clients.ses.middlewareStack.add(
    (next) => async (args) => {
      if (counting) usage.emails += 1;
      return next(args);
    },
    { step: 'initialize', name: 'costMeter' },
  );
};

export async function costBenchmark(runtime: { url: string; apiKey: string }): Promise<Figure[]> {
  await instrument();
  const api = async <T>(method: string, path: string, body?: unknown, auth = true): Promise<T> => {
    usage.httpRequests += 1;
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(auth ? { authorization: `Bearer ${runtime.apiKey}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  const waitFor = async (probe: () => Promise<boolean>) => {
    for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('cost benchmark timed out');
  };

  counting = true;
  const { id } = await api<CampaignView>('POST', '/v1/campaigns', { name: 'cost', brand: 'Bench', channel: 'email', segments: ['plan'] });
  const emails = Array.from({ length: INVITATIONS }, (_, i) => `cost${i}.${id.toLowerCase()}@example.com`);
  await api('POST', `/v1/campaigns/${id}/recipients`, { recipients: emails.map((email, i) => ({ email, attributes: { plan: ['free', 'pro'][i % 2] } })) });
  await waitFor(async () => (await api<CampaignWithCounts>('GET', `/v1/campaigns/${id}`)).counts.sent === INVITATIONS);
  counting = false;
  const items = await readWholeOutbox<{ to: string[]; html: string }>(`${runtime.url}/local/outbox/email`);
  const tokens = items.filter((m) => m.to[0]?.startsWith('cost')).map((m) => /\/s\/([^?"]+)\?score=/.exec(m.html)?.[1] ?? '');
  counting = true;
  const answering = tokens.slice(0, Math.round(INVITATIONS * ANSWER_RATE));
  const detractors = Math.round(answering.length * DETRACTOR_SHARE);
  // A person opens the page from the e-mail, then submits it.
  for (const [i, token] of answering.entries()) {
    await fetch(`${runtime.url}/s/${token}?score=9`);
    usage.httpRequests += 1;
    await api('POST', `/s/${token}`, { score: i < detractors ? 3 : 9, ...(i < detractors ? { comment: 'slow' } : {}) }, false);
  }
  await waitFor(async () => (await api<ScoreReport>('GET', `/v1/campaigns/${id}/score`)).responses === answering.length);
  await waitFor(async () => (await api<FollowupPage>('GET', `/v1/followups?campaignId=${id}&limit=100`)).items.length === detractors);
  counting = false;

  if (process.env.COST_BREAKDOWN) printBreakdown();
  const per1000 = (n: number) => (n * 1000) / INVITATIONS;
  const dollars = {
    dynamo: usage.dynamoWriteUnits * PRICE.dynamoWriteUnit + usage.dynamoReadUnits * PRICE.dynamoReadUnit,
    sqs: usage.sqsRequests * PRICE.sqsRequest,
    sns: usage.snsPublishes * PRICE.snsPublish,
    ses: usage.emails * PRICE.sesEmail,
    lambda: usage.lambdaInvocations * PRICE.lambdaRequest + usage.lambdaGbSeconds * PRICE.lambdaGbSecond,
    api: usage.httpRequests * PRICE.httpApiRequest,
  };
  const total = Object.values(dollars).reduce((a, b) => a + b, 0);
  return [
    { name: 'dynamodb write units per 1000 invitations', value: per1000(usage.dynamoWriteUnits), unit: 'WRU' },
    { name: 'dynamodb read units per 1000 invitations', value: per1000(usage.dynamoReadUnits), unit: 'RRU' },
    { name: 'sqs requests per 1000 invitations', value: per1000(usage.sqsRequests), unit: 'requests' },
    { name: 'lambda invocations per 1000 invitations', value: per1000(usage.lambdaInvocations), unit: 'invocations' },
    { name: 'lambda compute per 1000 invitations (as measured locally)', value: per1000(usage.lambdaGbSeconds), unit: 'GB-s' },
    { name: 'modelled cost per 1000 invitations, ses', value: per1000(dollars.ses), unit: 'USD' },
    { name: 'modelled cost per 1000 invitations, dynamodb', value: per1000(dollars.dynamo), unit: 'USD' },
    { name: 'modelled cost per 1000 invitations, lambda', value: per1000(dollars.lambda), unit: 'USD' },
    { name: 'modelled cost per 1000 invitations, sqs + sns + api gateway', value: per1000(dollars.sqs + dollars.sns + dollars.api), unit: 'USD' },
    { name: 'modelled cost per 1000 invitations, total', value: per1000(total), unit: 'USD' },
  ];
}
