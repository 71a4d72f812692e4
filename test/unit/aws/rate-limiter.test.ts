import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '#shared/aws/rate-limiter';

describe('RateLimiter', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('lets a second worth go at once, then paces to the rate', async () => {
    // GIVEN 10 sends a second
    const limiter = new RateLimiter(10);
    const sentAt: number[] = [];
    const sending = (async () => {
      for (let i = 0; i < 30; i++) {
        await limiter.take();
        sentAt.push(Date.now());
      }
    })();
    // WHEN three virtual seconds pass
    await vi.advanceTimersByTimeAsync(3_000);
    await sending;
    // THEN 10 went in the first instant and never more than 10 in any later second
    expect(sentAt.filter((t) => t === 0)).toHaveLength(10);
    expect(sentAt).toHaveLength(30);
    for (let second = 0; second < 2; second++) {
      expect(sentAt.filter((t) => t > second * 1000 && t <= (second + 1) * 1000).length).toBeLessThanOrEqual(10);
    }
    expect(sentAt.at(-1)).toBeGreaterThanOrEqual(1_900);
  });

  it('works below one per second', async () => {
    const limiter = new RateLimiter(0.5);
    await limiter.take();
    let second = false;
    void limiter.take().then(() => (second = true));
    await vi.advanceTimersByTimeAsync(1_900);
    expect(second).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(second).toBe(true);
  });
});
