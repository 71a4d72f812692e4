import { describe, expect, it } from 'vitest';
import { clickToAnswerRate } from '#shared/app/campaigns';

describe('the click-to-answer rate', () => {
  it('is answers over clicks, to three decimals, and null before the first click', () => {
    expect(clickToAnswerRate(0, 0)).toBeNull();
    expect(clickToAnswerRate(3, 2)).toBe(0.667);
    expect(clickToAnswerRate(50, 31)).toBe(0.62);
  });
});
