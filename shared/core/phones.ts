// The mobile metadata (57 KB smaller than `max`): only a number that can take a text is ever
// accepted, and for those it decides exactly as the full metadata does (test/unit/core/phones.test.ts).
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/mobile';
import { getCountry, getCountryForTimezone } from 'countries-and-timezones';
import { canonicalZone, utcOffsetMinutes } from '#shared/core/quiet-hours';

export type { CountryCode };

export interface Phone {
  /** The number in E.164 (`+79123456789`): how it is stored, keyed and texted. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 country of the number; undefined for non-geographic numbers (+800, +882 …). */
  readonly country: CountryCode | undefined;
}

/**
 * A phone is accepted only when its digits are valid for a mobile of its country (the numbering
 * plan, not just its length): we only text, so a landline is no phone of ours. It is kept in
 * E.164 form. Without a leading + the number is read as a national number of `defaultCountry`.
 * An extension is dropped: E.164 has none.
 */
export const normalizePhone = (raw: string, defaultCountry?: string): Phone | undefined => {
  const country = defaultCountry?.toUpperCase();
  const parsed = parsePhoneNumberFromString(raw, country && isSupportedCountry(country) ? country : undefined);
  if (!parsed?.isValid()) return undefined;
  return { e164: parsed.number, country: parsed.country };
};

const DAY_MS = 86_400_000;
const YEAR_DAYS = 366;

/**
 * A zone's UTC offsets day by day over the past and the coming year: two zones with the same
 * keep one clock (the past year too, so that a zone whose rules just changed stays apart).
 */
const clockOf = (zone: string, around: number): string => {
  const offsets: number[] = [];
  for (let day = -YEAR_DAYS; day <= YEAR_DAYS; day++) offsets.push(utcOffsetMinutes(zone, new Date(around + day * DAY_MS)));
  return offsets.join(',');
};

const clocksByCountry = new Map<string, string[]>();

/**
 * The distinct clocks of a country, one zone for each: zones that keep the same time all year
 * (New York, Detroit, Indianapolis …) count once, by the zone named for the country when there
 * is one. Deprecated zone names are not listed. Empty for an unknown country.
 */
export const countryClocks = (country: string): string[] => {
  const code = country.toUpperCase();
  const known = clocksByCountry.get(code);
  if (known) return known;
  const zones = (/^[A-Z]{2}$/.test(code) ? getCountry(code)?.timezones : undefined) ?? [];
  const byClock = new Map<string, string>();
  const now = Date.now();
  for (const zone of zones) {
    const clock = clockOf(zone, now);
    const chosen = byClock.get(clock);
    if (chosen === undefined || (getCountryForTimezone(chosen)?.id !== code && getCountryForTimezone(zone)?.id === code)) {
      byClock.set(clock, zone);
    }
  }
  const clocks = [...byClock.values()];
  clocksByCountry.set(code, clocks);
  return clocks;
};

/**
 * The time zone of everyone in a country, when there is one: the country's only zone, or, when
 * all its zones keep the same clock (Germany's Berlin and Büsingen, Kazakhstan's since 2024),
 * the zone named for it. Undefined for countries whose clocks differ (US, RU, BR, AU, CA …).
 */
export const countryZone = (country: string): string | undefined => {
  const [only, ...others] = countryClocks(country);
  return others.length === 0 ? only : undefined;
};

export interface ZoneHints {
  /** The recipient's own time zone, as given (untrusted). */
  readonly timezone?: string | undefined;
  /** The country of the recipient's phone (from normalizePhone). */
  readonly country?: string | undefined;
  /** The campaign's default time zone; assumed valid (checked when the campaign was created). */
  readonly campaignDefault?: string | undefined;
}

/**
 * The time zones a recipient may be in: their own when it is a valid IANA zone, else their
 * phone country's when that country keeps one clock, else the campaign's default, else every
 * clock of their phone's country (a text then goes out only inside the window in all of them).
 * Empty when nothing is known: no zone, UTC included, is ever assumed.
 */
export const recipientZones = ({ timezone, country, campaignDefault }: ZoneHints): string[] => {
  const own = timezone === undefined ? undefined : canonicalZone(timezone);
  if (own !== undefined) return [own];
  const clocks = country === undefined ? [] : countryClocks(country);
  if (clocks.length === 1) return clocks;
  if (campaignDefault !== undefined) return [campaignDefault];
  return clocks;
};
