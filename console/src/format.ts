/**
 * How the console writes figures and times, pure so unit tests pin it down: NPS with its sign,
 * shares as percentages, durations in the largest units that matter, due times relative to now.
 */
import type { Locale } from '#shared/core/vocabulary';

const minus = '\u2212';

/** NPS (−100…100) with its sign, one decimal only when it has one: "+32", "−4.5", "0"; "—" when there is none. */
export const formatNps = (value: number | null | undefined, locale: Locale): string => {
  if (value === null || value === undefined) return '—';
  const digits = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(value));
  if (value > 0) return `+${digits}`;
  if (value < 0) return `${minus}${digits}`;
  return digits;
};

/** A share (0–1) as a whole percentage; "—" when there is none. */
export const formatShare = (share: number | null | undefined, locale: Locale): string =>
  share === null || share === undefined ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);

export const formatCount = (n: number, locale: Locale): string => new Intl.NumberFormat(locale).format(n);

const units = {
  en: { d: 'd', h: 'h', min: 'min' },
  ru: { d: 'д', h: 'ч', min: 'мин' },
} as const satisfies Record<Locale, Record<string, string>>;

/** Minutes as the two largest units that matter: "45 min", "2 h 5 min", "3 d 4 h"; "—" when there is none. */
export const formatMinutes = (minutes: number | null | undefined, locale: Locale): string => {
  if (minutes === null || minutes === undefined) return '—';
  const u = units[locale];
  const whole = Math.max(0, Math.round(minutes));
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const mins = whole % 60;
  if (days > 0) return hours > 0 ? `${days} ${u.d} ${hours} ${u.h}` : `${days} ${u.d}`;
  if (hours > 0) return mins > 0 ? `${hours} ${u.h} ${mins} ${u.min}` : `${hours} ${u.h}`;
  return `${mins} ${u.min}`;
};

/** "in 3 hours" / "2 days ago": the largest unit that is at least one, rounded. */
export const formatRelative = (at: string, now: number, locale: Locale): string => {
  const seconds = (Date.parse(at) - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(Math.round(seconds), 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
};

export const isOverdue = (dueAt: string, now: number): boolean => Date.parse(dueAt) < now;

export const formatDateTime = (at: string, locale: Locale): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));

export const formatTime = (at: string, locale: Locale): string =>
  new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(at));

/** A UTC calendar day (YYYY-MM-DD) as people write it: "1 Dec 2026", "1 дек. 2026 г.". */
export const formatDay = (day: string, locale: Locale): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** The first words of a comment, cut at a word boundary with an ellipsis. */
export const excerpt = (text: string | undefined, max = 120): string => {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
};

/** A UTC day `days` after (or before) another. */
export const shiftDay = (day: string, days: number): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

export const today = (now: number): string => new Date(now).toISOString().slice(0, 10);

const DAY_S = 86_400;

/** The time axis: the range asked for when there is one, never a single instant (uPlot would stretch one point over years). */
export const timeRange = (xs: readonly number[], from?: string, to?: string): [number, number] => {
  const min = from ? Date.parse(`${from}T00:00:00Z`) / 1000 : Math.min(...xs);
  const max = to ? Date.parse(`${to}T00:00:00Z`) / 1000 : Math.max(...xs);
  return max - min < DAY_S ? [min - DAY_S, max + DAY_S] : [min, max];
};
