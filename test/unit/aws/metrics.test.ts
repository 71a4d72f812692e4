import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Business counts as EMF lines: what each line carries, and when it is written. */
const load = async () => {
  vi.resetModules();
  return import('#shared/aws/metrics');
};

const lines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'npsloop-test');
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('count', () => {
  it('writes a count by channel at once, as its own line with the channel as its one dimension', async () => {
    // GIVEN
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { count } = await load();
    // WHEN a batch settles an e-mail and an SMS invitation
    count('InvitationsSent', 'email');
    count('InvitationsSent', 'sms');
    // THEN
    expect(lines(log)).toEqual([
      expect.objectContaining({ channel: 'email', InvitationsSent: 1 }),
      expect.objectContaining({ channel: 'sms', InvitationsSent: 1 }),
    ]);
    const [first] = lines(log);
    expect(first?._aws).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'npsloop-test', Dimensions: [['service', 'channel']], Metrics: [{ Name: 'InvitationsSent', Unit: 'Count' }] }],
    });
  });

  it('keeps a count without a channel for the invocation line that logMetrics writes', async () => {
    // GIVEN
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { count, metrics } = await load();
    // WHEN
    count('Detractors');
    count('AlertsPublished');
    count('AlertsPublished');
    // THEN nothing until the flush, then one line
    expect(log).not.toHaveBeenCalled();
    metrics.publishStoredMetrics();
    expect(lines(log)).toEqual([expect.objectContaining({ Detractors: 1, AlertsPublished: [1, 1] })]);
  });

  it('writes nothing when metrics are disabled, as in tests and, by default, locally', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { count, metrics } = await load();
    count('InvitationsFailed', 'sms');
    count('Detractors');
    metrics.publishStoredMetrics();
    expect(log).not.toHaveBeenCalled();
  });
});
