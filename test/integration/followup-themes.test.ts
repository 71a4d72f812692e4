import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import type { FollowupCase } from '#shared/contract/followups';
import { context } from '#test/fixtures/http-event';
import { api, eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/**
 * A follow-up case carries the themes of its customer's comment on the real local runtime: the
 * inbox filters by them, an edited comment moves the case to its new themes, and a replay of the
 * stream batch that did it (same shard, same sequence numbers, as Lambda may redeliver) changes
 * nothing: no count, no case field, no timeline entry, no alert.
 */
let countScores: typeof import('#functions/count-scores').handler;
let syncFollowup: typeof import('#shared/app/followups').syncFollowup;
let responseRecords: (invitationId: string) => Promise<{ shardId: string; records: DynamoDBRecord[] }>;
let followupsInFlight: () => Promise<number>;
let timelineOf: (caseId: string) => Promise<unknown[]>;

beforeAll(async () => {
  Object.assign(process.env, inject('localEnv'));
  ({ handler: countScores } = await import('#functions/count-scores'));
  ({ syncFollowup } = await import('#shared/app/followups'));
  const [{ DescribeTableCommand }, streamsSdk, { toLambdaStreamRecord }, { dynamo, sqs }, { tableName }, { keys, FOLLOWUP_EVENT_PREFIX }, { queryAll }, { queues }, sqsSdk] =
    await Promise.all([
      import('@aws-sdk/client-dynamodb'),
      import('@aws-sdk/client-dynamodb-streams'),
      import('#local/stream/stream-record'),
      import('#shared/aws/clients'),
      import('#shared/aws/config'),
      import('#shared/table/items'),
      import('#shared/table/query'),
      import('#shared/contract/wiring'),
      import('@aws-sdk/client-sqs'),
    ]);
  const streams = new streamsSdk.DynamoDBStreamsClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS });
  // The response item's records as the runtime's stream poller handed them to count-scores.
  responseRecords = async (invitationId) => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName() }));
    const streamArn = Table?.LatestStreamArn ?? '';
    const { StreamDescription } = await streams.send(new streamsSdk.DescribeStreamCommand({ StreamArn: streamArn }));
    const key = keys.response(invitationId);
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId ?? '';
      let iterator = (await streams.send(new streamsSdk.GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })))
        .ShardIterator;
      const records: DynamoDBRecord[] = [];
      while (iterator) {
        const out = await streams.send(new streamsSdk.GetRecordsCommand({ ShardIterator: iterator }));
        for (const raw of out.Records ?? []) {
          if (raw.dynamodb?.Keys?.PK?.S !== key.PK || raw.dynamodb.Keys.SK?.S !== key.SK) continue;
          const record = toLambdaStreamRecord(raw, streamArn, 'us-east-1');
          if (record) records.push(record);
        }
        if ((out.Records ?? []).length === 0) break;
        iterator = out.NextShardIterator;
      }
      if (records.length) return { shardId, records };
    }
    throw new Error(`no stream records for ${invitationId}`);
  };
  followupsInFlight = async () => {
    const { Attributes } = await sqs.send(
      new sqsSdk.GetQueueAttributesCommand({
        QueueUrl: process.env[queues.followups.urlEnv],
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  };
  timelineOf = (caseId) =>
    queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
      ExpressionAttributeValues: { ':pk': keys.followup(caseId).PK, ':events': FOLLOWUP_EVENT_PREFIX },
    });
  // Another test file may have just put the default themes back: wait until every function's
  // cached theme set (kept 30 s, shared/app/themes.ts) is the one in force.
  const { THEME_SET_MAX_AGE_MS } = await import('#shared/app/themes');
  const { body: themes } = await api('GET /v1/themes');
  expect(themes.themes.map((t) => t.id)).toEqual(expect.arrayContaining(['delivery', 'price']));
  const settled = Date.parse(themes.updatedAt ?? '1970-01-01') + THEME_SET_MAX_AGE_MS + 1000;
  await eventually(async () => (Date.now() > settled ? true : undefined), { timeoutMs: THEME_SET_MAX_AGE_MS + 5000, intervalMs: 250, what: 'the theme set cached everywhere' });
}, 60_000);

const casesWith = async (query: Record<string, string>) => (await api('GET /v1/followups', { query })).body.items;

describe('themes on follow-up cases', () => {
  it('tags the case, filters the inbox by theme, follows an edit, and a replayed batch changes nothing', async () => {
    // GIVEN a Russian campaign sent to one customer, and an English one sent to another
    const ru = (await api('POST /v1/campaigns', { body: { name: 'Темы', brand: 'Acme', channel: 'email', locale: 'ru' } })).body.id;
    const en = (await api('POST /v1/campaigns', { body: { name: 'Themes', brand: 'Acme', channel: 'email' } })).body.id;
    const [olga, tom] = [uniqueEmail('olga'), uniqueEmail('tom')];
    await api('POST /v1/campaigns/{id}/recipients', { params: { id: ru }, body: { recipients: [{ email: olga }] } });
    await api('POST /v1/campaigns/{id}/recipients', { params: { id: en }, body: { recipients: [{ email: tom }] } });
    const [olgaToken, tomToken] = await eventually(async () => {
      const mails = await Promise.all([olga, tom].map((to) => outbox<{ html: string }>({ box: 'email', to })));
      const tokens = mails.map((m) => /\/s\/([^?"]+)\?score=/.exec(m[0]?.html ?? '')?.[1]);
      return tokens.every(Boolean) ? (tokens as [string, string]) : undefined;
    }, { what: 'two invitation e-mails' });

    // WHEN both are detractors: Olga's parcel came late, Tom leaves no comment
    await request('POST', `/s/${olgaToken}`, { body: { score: 2, comment: 'посылка шла три недели, курьер не звонил' }, auth: false });
    await request('POST', `/s/${tomToken}`, { body: { score: 3 }, auth: false });
    const [olgaCase, tomCase] = await eventually(async () => {
      const [a, b] = await Promise.all([casesWith({ campaignId: ru }), casesWith({ campaignId: en })]);
      return a[0]?.themes?.length && b[0] ? ([a[0], b[0]] as [FollowupCase, FollowupCase]) : undefined;
    }, { what: 'both cases opened' });

    // THEN Olga's case carries delivery, named in Russian, and Tom's no theme at all
    expect(olgaCase.themes).toContainEqual({ id: 'delivery', name: 'Доставка' });
    expect(olgaCase.themes?.map((t) => t.id)).not.toContain('price');
    expect(tomCase.themes).toEqual([]);
    // AND the inbox finds her case by delivery in every view, and not by price
    for (const view of ['open', 'all', 'overdue'] as const) {
      const found = (await casesWith({ view, campaignId: ru, theme: 'delivery' })).map((c) => c.id);
      expect(found, view).toEqual(view === 'overdue' ? [] : [olgaCase.id]);
    }
    expect(await casesWith({ campaignId: ru, theme: 'price' })).toEqual([]);
    expect(await casesWith({ campaignId: en, theme: 'delivery' })).toEqual([]);
    // AND the filtered list has an ETag of its own: asked again, it answers 304; another theme's list does not
    const filtered = await request('GET', `/v1/followups?campaignId=${ru}&theme=delivery`, { headers: { accept: 'application/json' } });
    const etag = filtered.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await request('GET', `/v1/followups?campaignId=${ru}&theme=delivery`, { headers: { accept: 'application/json', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const underPrice = await request('GET', `/v1/followups?campaignId=${ru}&theme=price`, { headers: { accept: 'application/json', 'if-none-match': etag } });
    expect(underPrice.status).toBe(200);
    // AND the case screen shows the same themes
    expect((await api('GET /v1/followups/{id}', { params: { id: olgaCase.id } })).body.themes).toEqual(olgaCase.themes);

    // WHEN Olga edits her comment: now it is about the price
    const invitationId = olgaCase.invitationId;
    await request('POST', `/s/${olgaToken}`, { body: { score: 2, comment: 'слишком дорого, цены выросли вдвое' }, auth: false });

    // THEN the case moves from delivery to price
    const moved = await eventually(async () => {
      const [item] = await casesWith({ campaignId: ru, theme: 'price' });
      return item;
    }, { what: 'the case filed under price' });
    expect(moved.id).toBe(olgaCase.id);
    expect(moved.themes).toContainEqual({ id: 'price', name: 'Цена' });
    // AND the list it was in has changed, so its old ETag no longer answers 304
    expect((await request('GET', `/v1/followups?campaignId=${ru}&theme=delivery`, { headers: { accept: 'application/json', 'if-none-match': etag } })).status).toBe(200);
    expect(await casesWith({ campaignId: ru, theme: 'delivery' })).toEqual([]);

    // WHEN the stream batch with both answers is delivered again, as Lambda may after a crash
    await eventually(async () => ((await followupsInFlight()) === 0 ? true : undefined), { what: 'the follow-up queue drained' });
    const before = {
      detail: (await api('GET /v1/followups/{id}', { params: { id: olgaCase.id } })).body,
      score: (await api('GET /v1/campaigns/{id}/score', { params: { id: ru } })).body,
      impact: (await api('GET /v1/themes/impact', { query: { campaignId: ru } })).body,
      timeline: await timelineOf(olgaCase.id),
      alerts: await outbox({ box: 'alerts', followupId: olgaCase.id }),
    };
    const { shardId, records } = await responseRecords(invitationId);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(await countScores({ Records: records, shardId } as never, context)).toMatchObject({ batchItemFailures: [] });
    await eventually(async () => ((await followupsInFlight()) === 0 ? true : undefined), { what: 'the replayed follow-ups handled' });

    // THEN nothing moved: counts, the case, its timeline and its alerts are as they were
    expect(await syncFollowup(invitationId)).toBe('none');
    expect((await api('GET /v1/campaigns/{id}/score', { params: { id: ru } })).body).toEqual(before.score);
    expect((await api('GET /v1/themes/impact', { query: { campaignId: ru } })).body).toEqual(before.impact);
    expect((await api('GET /v1/followups/{id}', { params: { id: olgaCase.id } })).body).toEqual(before.detail);
    expect(await timelineOf(olgaCase.id)).toEqual(before.timeline);
    expect(await outbox({ box: 'alerts', followupId: olgaCase.id })).toEqual(before.alerts);
    expect(before.alerts).toHaveLength(1);
  });

  it('refuses a theme that cannot be a theme id with a 400 that names the field', async () => {
    const reply = await request('GET', '/v1/followups?theme=Delivery%20OR%201', { headers: { accept: 'application/json' } });
    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/theme/);
  });
});
