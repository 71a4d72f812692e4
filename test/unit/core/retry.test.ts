import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, retrying, type RetryPolicy, type RetryTiming } from '#shared/core/retry';

const policies = fc.record({
  attempts: fc.integer({ min: 1, max: 12 }),
  baseDelayMs: fc.integer({ min: 1, max: 1_000 }),
  maxDelayMs: fc.integer({ min: 1, max: 30_000 }),
});
/** Math.random's range: [0, 1). */
const dice = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** A timing that records every wait instead of waiting, and rolls the given dice. */
const recorded = (rolls: readonly number[] = [0.5]) => {
  const waits: number[] = [];
  let roll = 0;
  const timing: RetryTiming = {
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => rolls[roll++ % rolls.length] ?? 0.5,
  };
  return { waits, timing };
};

const ceiling = (policy: RetryPolicy, retry: number) => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
const always = () => true;

describe('backoffDelay', () => {
  it('waits between 0 and min(cap, base·2^retry), whatever the dice say', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 0, max: 100 }), dice, (policy, retry, roll) => {
        const delay = backoffDelay(policy, retry, () => roll);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling(policy, retry));
      }),
    );
  });

  it('spreads over the whole range: no floor, so writers that collided do not meet again', () => {
    const policy = { attempts: 5, baseDelayMs: 20, maxDelayMs: 1_000 };
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.999)).toBeCloseTo(159.84);
    expect(backoffDelay(policy, 10, () => 0.5)).toBe(500);
  });
});

describe('retrying', () => {
  it('tries exactly `attempts` times, each wait within its bound, then throws the last error', async () => {
    await fc.assert(
      fc.asyncProperty(policies, fc.array(dice, { minLength: 1, maxLength: 12 }), async (policy, rolls) => {
        const { waits, timing } = recorded(rolls);
        let tries = 0;
        const failing = async () => {
          tries++;
          throw new Error(`try ${tries}`);
        };
        await expect(retrying(policy, always, failing, timing)).rejects.toThrow(`try ${policy.attempts}`);
        expect(tries).toBe(policy.attempts);
        expect(waits).toHaveLength(policy.attempts - 1);
        waits.forEach((wait, retry) => {
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(ceiling(policy, retry));
        });
      }),
    );
  });

  it('returns the first success, after as many waits as failures before it', async () => {
    await fc.assert(
      fc.asyncProperty(policies, fc.nat(), async (policy, failures) => {
        const fails = failures % policy.attempts;
        const { waits, timing } = recorded();
        const attempt = async (retry: number) => {
          if (retry < fails) throw new Error('not yet');
          return `done on retry ${retry}`;
        };
        expect(await retrying(policy, always, attempt, timing)).toBe(`done on retry ${fails}`);
        expect(waits).toHaveLength(fails);
      }),
    );
  });

  it('throws an error the call site does not call retryable at once, without waiting', async () => {
    const { waits, timing } = recorded();
    const answer = new Error('condition failed');
    let tries = 0;
    const attempt = async () => {
      tries++;
      throw answer;
    };
    await expect(retrying({ attempts: 7, baseDelayMs: 20, maxDelayMs: 1_000 }, (e) => e !== answer, attempt, timing)).rejects.toBe(answer);
    expect(tries).toBe(1);
    expect(waits).toEqual([]);
  });

  it('sleeps on a real timer when no timing is given', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      // GIVEN an attempt that fails once, and a first wait of just under 20 ms
      let tries = 0;
      const attempt = async () => {
        if (++tries < 2) throw new Error('busy');
        return tries;
      };
      const result = retrying({ attempts: 3, baseDelayMs: 20, maxDelayMs: 1_000 }, always, attempt);
      // THEN the second try waits for the clock
      await vi.advanceTimersByTimeAsync(10);
      expect(tries).toBe(1);
      await vi.advanceTimersByTimeAsync(10);
      expect(await result).toBe(2);
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });
});
