/**
 * One retry policy for what the AWS SDK does not retry itself: a transaction cancelled by a
 * conflicting one, the items a batch call left unprocessed, the entries SQS failed. (The SDK
 * already retries throttling, 5xx and network errors of each call; see `aws/clients.ts`.)
 *
 * Full-jitter exponential backoff: the wait before retry n is uniform in [0, min(cap, base·2^n)),
 * so writers that collided spread out instead of colliding again. A bound on attempts hands what
 * still fails to the caller's own retry: the queue's or the stream's redelivery.
 */

/** How often and how patiently an attempt is tried again. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** The clock and the dice `retrying` uses; tests pass their own. */
export interface RetryTiming {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

const realTiming: RetryTiming = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The wait before retry `retry` (0 for the first): full jitter below min(maxDelayMs, baseDelayMs·2^retry). */
export const backoffDelay = (policy: RetryPolicy, retry: number, random: () => number = Math.random): number =>
  random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);

/** Thrown by an attempt that did only part of the work, so that the rest is tried again. */
export class Unfinished extends Error {}

/**
 * Runs `attempt` until it resolves. When it throws, it is tried again after `backoffDelay` if
 * `retryable` says so and tries remain; otherwise the last error is thrown as it is.
 */
export const retrying = async <T>(
  policy: RetryPolicy,
  retryable: (error: unknown) => boolean,
  attempt: (retry: number) => Promise<T>,
  timing: RetryTiming = realTiming,
): Promise<T> => {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (error) {
      if (retry + 1 >= policy.attempts || !retryable(error)) throw error;
      await timing.sleep(backoffDelay(policy, retry, timing.random));
    }
  }
};
