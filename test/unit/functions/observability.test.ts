import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { context } from '#test/fixtures/http-event';
import { topics } from '#shared/contract/wiring';

/**
 * What every handler gets from Powertools, shown on one: its log lines carry the invocation's
 * request id and cold-start flag (injectLambdaContext), and what it counted is written as one
 * EMF line when it returns (logMetrics). POWERTOOLS_DEV sends both to the global console.
 */
const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const CAMPAIGN_ID = '01KB0000000000000000000000';
const overdueCase = {
  PK: 'FOLLOWUP#f1',
  SK: 'FOLLOWUP',
  id: 'f1',
  campaignId: CAMPAIGN_ID,
  invitationId: 'inv1',
  score: 2,
  status: 'open',
  dueAt: '2026-11-20T12:00:00.000Z',
  contact: {},
  segments: {},
  createdAt: '2026-11-18T12:00:00.000Z',
};

/** The handler module loaded afresh, so its logger and metrics read the environment of this test. */
const loadHandler = async () => {
  vi.resetModules();
  return (await import('#functions/escalate-overdue')).handler;
};

const printed = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  // Lambda sets it; without it Powertools calls no invocation a cold start (the local runtime sets it too).
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'npsloop-test');
  vi.stubEnv('TABLE_NAME', 't');
  vi.stubEnv(topics.alerts.arnEnv, 'arn:aws:sns:us-east-1:000000000000:alerts');
  ddb.reset();
  sns.reset();
  ddb.on(QueryCommand).resolves({ Items: [overdueCase] });
  ddb.on(GetCommand).resolves({ Item: { PK: `CAMPAIGN#${CAMPAIGN_ID}`, SK: 'CAMPAIGN', id: CAMPAIGN_ID, name: 'Q4', brand: 'Acme', channel: 'email', locale: 'en', segments: [], throttleDays: 90, createdAt: 'x' } });
  ddb.on(UpdateCommand).resolves({});
  // No opt-out written before contacts were stamped: the one-off migration finds nothing.
  ddb.on(ScanCommand).resolves({ Items: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'alert-1' });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('a handler, with Powertools around it', () => {
  it('logs with the request id, and flags only the first invocation as a cold start', async () => {
    // GIVEN
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handler = await loadHandler();
    // WHEN it runs twice in one sandbox
    await handler({} as never, { ...context, awsRequestId: 'req-first' });
    ddb.on(QueryCommand).resolves({ Items: [overdueCase] });
    await handler({} as never, { ...context, awsRequestId: 'req-second' });
    // THEN
    const lines = printed(info).filter((l) => l.message === 'overdue follow-ups escalated');
    expect(lines).toEqual([
      expect.objectContaining({ function_request_id: 'req-first', cold_start: true, function_name: context.functionName, service: 'npsloop' }),
      expect.objectContaining({ function_request_id: 'req-second', cold_start: false }),
    ]);
  });

  it('writes what the invocation counted as one EMF line in the configured namespace, with no personal data', async () => {
    // GIVEN
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handler = await loadHandler();
    // WHEN
    await handler({} as never, context);
    // THEN
    const [emf, ...more] = printed(log);
    expect(more).toEqual([]);
    expect(emf).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'npsloop-test', Dimensions: [['service']] }] },
      service: 'npsloop',
      OverdueCasesEscalated: 1,
      AlertsPublished: 1,
    });
    expect(Object.keys(emf ?? {}).sort()).toEqual(['AlertsPublished', 'OverdueCasesEscalated', '_aws', 'service']);
  });

  it('writes nothing when the invocation counted nothing', async () => {
    // GIVEN no overdue case
    ddb.on(QueryCommand).resolves({ Items: [] });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const handler = await loadHandler();
    // WHEN
    await handler({} as never, context);
    // THEN
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
