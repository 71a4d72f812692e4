import type { RetryPolicy } from '#shared/core/retry';

// The policy's shape is the pipeline's (shared/core/retry.ts); over HTTP the CLI keeps half of
// each wait as a floor and honours a server's Retry-After, which SDK-less fetch calls need.
export type { RetryPolicy };

/** For an import, which should ride out a blip of a minute rather than stop half way. */
export const importRetryPolicy: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 10_000 };

/** For a command someone is waiting on: a wrong URL should fail in seconds, not after half a minute. */
export const interactiveRetryPolicy: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 2_000 };

/**
 * The wait before try number `retry` + 2: exponential, capped, and jittered between half and the
 * whole of it, so many clients that failed together do not come back together. A server's
 * Retry-After wins when it asks for longer (up to the cap).
 */
export const backoffDelay = (retry: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number => {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  const jittered = exponential * (0.5 + random() / 2);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
};

/** A server's Retry-After in milliseconds, from seconds or an HTTP date; undefined when absent or unreadable. */
export const retryAfterMs = (header: string | null, now = Date.now()): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

/** 5xx is the server's trouble and 429 a request to slow down: both may pass. Any other 4xx will not. */
export const isTransientStatus = (status: number): boolean => status >= 500 || status === 429;
