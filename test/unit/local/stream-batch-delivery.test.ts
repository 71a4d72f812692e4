import { describe, expect, it } from 'vitest';
import {
  deliverStreamBatch,
  interpretStreamInvocation,
  type DiscardedBatch,
  type StreamDeliveryPolicy,
  type StreamInvocationOutcome,
} from '#local/stream/batch-delivery';

const policy = (overrides: Partial<StreamDeliveryPolicy> = {}): StreamDeliveryPolicy => ({
  retryAttempts: 2,
  bisectBatchOnError: false,
  retryDelayMs: 0,
  ...overrides,
});

/** Delivers `records` to a fake function and records every invocation and discard. */
async function deliver(
  records: string[],
  respond: (batch: readonly string[]) => StreamInvocationOutcome,
  deliveryPolicy: StreamDeliveryPolicy,
) {
  const invocations: string[][] = [];
  const discarded: DiscardedBatch<string>[] = [];
  await deliverStreamBatch(records, {
    policy: deliveryPolicy,
    invoke: async (batch) => {
      invocations.push([...batch]);
      return respond(batch);
    },
    discard: async (batch) => {
      discarded.push(batch);
    },
  });
  return { invocations, discarded };
}

const failingWhileIncluded = (poison: string) => (batch: readonly string[]): StreamInvocationOutcome =>
  batch.includes(poison) ? { kind: 'error' } : { kind: 'success' };

describe('stream batch delivery (Lambda ReportBatchItemFailures semantics)', () => {
  it('invokes once when the batch succeeds', async () => {
    const { invocations, discarded } = await deliver(['a', 'b'], () => ({ kind: 'success' }), policy());
    expect(invocations).toEqual([['a', 'b']]);
    expect(discarded).toEqual([]);
  });

  it('retries from the first failed record; records before it are not redelivered', async () => {
    // GIVEN c fails once
    let failures = 1;
    const respond = (batch: readonly string[]): StreamInvocationOutcome =>
      batch.includes('c') && failures-- > 0 ? { kind: 'partial', firstFailedIndex: batch.indexOf('c') } : { kind: 'success' };
    // WHEN
    const { invocations } = await deliver(['a', 'b', 'c', 'd'], respond, policy());
    // THEN
    expect(invocations).toEqual([
      ['a', 'b', 'c', 'd'],
      ['c', 'd'],
    ]);
  });

  it('retries a thrown batch whole, then discards it after retryAttempts retries', async () => {
    const { invocations, discarded } = await deliver(['a', 'b'], () => ({ kind: 'error' }), policy({ retryAttempts: 2 }));
    expect(invocations).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(discarded).toEqual([{ records: ['a', 'b'], invokeCount: 3, lastOutcome: 'error' }]);
  });

  it('discards only the records from the failed one on, after a partial failure that persists', async () => {
    const respond = (batch: readonly string[]): StreamInvocationOutcome => ({ kind: 'partial', firstFailedIndex: batch.indexOf('b') });
    const { discarded } = await deliver(['a', 'b', 'c'], respond, policy({ retryAttempts: 1 }));
    expect(discarded).toEqual([{ records: ['b', 'c'], invokeCount: 2, lastOutcome: 'partial' }]);
  });

  it('with bisectBatchOnError, isolates a poison record and delivers every other record', async () => {
    // WHEN
    const { invocations, discarded } = await deliver(
      ['a', 'b', 'c', 'P', 'd'],
      failingWhileIncluded('P'),
      policy({ bisectBatchOnError: true, retryAttempts: 1 }),
    );
    // THEN every good record was part of exactly one successful invocation, in order
    const succeeded = invocations.filter((batch) => !batch.includes('P')).flat();
    expect(succeeded).toEqual(['a', 'b', 'c', 'd']);
    expect(discarded).toEqual([{ records: ['P'], invokeCount: 2, lastOutcome: 'error' }]);
  });

  it('does not count splitting as a retry', async () => {
    const { invocations } = await deliver(['a', 'b', 'c', 'P'], failingWhileIncluded('P'), policy({ bisectBatchOnError: true, retryAttempts: 0 }));
    expect(invocations).toEqual([['a', 'b', 'c', 'P'], ['a', 'b'], ['c', 'P'], ['c'], ['P']]);
  });
});

describe('reading a stream handler result', () => {
  const sequenceNumbers = ['100', '200', '300'];
  const ok = (result: unknown) => ({ ok: true, result }) as const;

  it.each([
    ['no result', undefined],
    ['null', null],
    ['no failure list', {}],
    ['an empty failure list', { batchItemFailures: [] }],
  ])('treats %s as success', (_, result) => {
    expect(interpretStreamInvocation(ok(result), sequenceNumbers)).toEqual({ kind: 'success' });
  });

  it('checkpoints at the lowest reported sequence number', () => {
    const result = { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] };
    expect(interpretStreamInvocation(ok(result), sequenceNumbers)).toEqual({ kind: 'partial', firstFailedIndex: 1 });
  });

  it.each([
    ['an empty identifier', ''],
    ['a missing identifier', undefined],
    ['an identifier not in the batch', '999'],
  ])('fails the whole batch for %s', (_, itemIdentifier) => {
    expect(interpretStreamInvocation(ok({ batchItemFailures: [{ itemIdentifier }] }), sequenceNumbers)).toEqual({ kind: 'error' });
  });

  it('fails the whole batch when the invocation failed', () => {
    expect(interpretStreamInvocation({ ok: false, error: new Error('boom') }, sequenceNumbers)).toEqual({ kind: 'error' });
  });
});
