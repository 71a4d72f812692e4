import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import type { Invocation } from '../lambda/local-function.ts';

/**
 * How Lambda delivers one batch of stream records with ReportBatchItemFailures on:
 * - success (no or empty `batchItemFailures`): the batch is done;
 * - partial failure: records before the lowest reported sequence number are done, and the
 *   rest is retried (with bisectBatchOnError Lambda "bisects at the returned sequence number",
 *   which is the same remainder);
 * - error (a throw, a timeout, or a failure list Lambda cannot read): the whole batch failed;
 *   with bisectBatchOnError a batch of two or more is split in halves, each delivered on its
 *   own, and splitting does not count as a retry;
 * - after `retryAttempts` retries the failing records are discarded to the on-failure
 *   destination and the shard moves on (a negative retryAttempts retries forever).
 * Halves are delivered in order, so a shard's records are never reordered.
 */

export interface StreamDeliveryPolicy {
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  /** Pause before a retry; Lambda backs off, locally a short pause keeps tests fast. */
  readonly retryDelayMs: number;
}

export type StreamInvocationOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly firstFailedIndex: number }
  | { readonly kind: 'error' };

export interface DiscardedBatch<R> {
  readonly records: readonly R[];
  /** Invocations that included these records. */
  readonly invokeCount: number;
  readonly lastOutcome: 'partial' | 'error';
}

export interface StreamDeliveryDeps<R> {
  invoke(records: readonly R[]): Promise<StreamInvocationOutcome>;
  discard(batch: DiscardedBatch<R>): Promise<void>;
  readonly policy: StreamDeliveryPolicy;
  readonly signal?: AbortSignal;
}

export async function deliverStreamBatch<R>(records: readonly R[], deps: StreamDeliveryDeps<R>): Promise<void> {
  const { policy } = deps;
  let current = records;
  let retries = 0;
  while (current.length > 0) {
    const outcome = await deps.invoke(current);
    if (outcome.kind === 'success') return;
    if (outcome.kind === 'error' && policy.bisectBatchOnError && current.length > 1) {
      const middle = Math.ceil(current.length / 2);
      await deliverStreamBatch(current.slice(0, middle), deps);
      await deliverStreamBatch(current.slice(middle), deps);
      return;
    }
    if (outcome.kind === 'partial') current = current.slice(outcome.firstFailedIndex);
    if (policy.retryAttempts >= 0 && retries >= policy.retryAttempts) {
      await deps.discard({ records: current, invokeCount: retries + 1, lastOutcome: outcome.kind });
      return;
    }
    retries += 1;
    await sleep(policy.retryDelayMs, undefined, { signal: deps.signal });
  }
}

const streamResponse = z.looseObject({
  batchItemFailures: z.array(z.looseObject({ itemIdentifier: z.unknown() })).nullish(),
});

/**
 * Reads a stream handler's result as Lambda does: no response or no failures is success; a
 * failure whose itemIdentifier is empty, missing or not a sequence number of this batch makes
 * the whole batch a failure; otherwise the lowest reported sequence number is the checkpoint.
 */
export function interpretStreamInvocation(invocation: Invocation, sequenceNumbers: readonly string[]): StreamInvocationOutcome {
  if (!invocation.ok) return { kind: 'error' };
  const parsed = streamResponse.safeParse(invocation.result);
  const failures = parsed.success ? (parsed.data.batchItemFailures ?? []) : [];
  if (failures.length === 0) return { kind: 'success' };
  const indexes = failures.map(({ itemIdentifier }) =>
    typeof itemIdentifier === 'string' ? sequenceNumbers.indexOf(itemIdentifier) : -1,
  );
  if (indexes.some((index) => index < 0)) return { kind: 'error' };
  return { kind: 'partial', firstFailedIndex: Math.min(...indexes) };
}
