/**
 * The response feed's rules, pure: how a comment is folded for search, which months a date range
 * covers (the cross-campaign feed is bucketed by month), and the scores of each category.
 */
import type { Category } from '#shared/core/nps';

/**
 * A comment as search compares it: Unicode-normalized (NFKC), lower case, ё read as е (Russian
 * writers drop the dots freely), runs of blanks as one space. The query is folded the same way,
 * so "ЁЛКА" finds "елка" and "Slow  Delivery" finds "slow delivery".
 */
export const foldForSearch = (text: string): string =>
  text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

/** The month (`YYYY-MM`, UTC) of an ISO timestamp or day. */
export const monthOf = (isoDayOrTime: string): string => isoDayOrTime.slice(0, 7);

/** The month before `YYYY-MM`. */
export const previousMonth = (month: string): string => {
  const [year = 0, m = 1] = month.split('-').map(Number);
  return m === 1 ? `${String(year - 1).padStart(4, '0')}-12` : `${String(year).padStart(4, '0')}-${String(m - 1).padStart(2, '0')}`;
};

const DAY_MS = 86_400_000;

/** The UTC day `days - 1` days before `now`'s: `days=7` is today and the six days before it. */
export const firstDayOfLast = (days: number, now: Date): string => new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);

/** The lowest and highest score of a category, for a key-free range check on the score. */
export const scoreRange: Record<Category, { readonly low: number; readonly high: number }> = {
  promoter: { low: 9, high: 10 },
  passive: { low: 7, high: 8 },
  detractor: { low: 0, high: 6 },
};
